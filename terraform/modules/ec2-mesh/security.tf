resource "aws_security_group" "frontend" {
  name        = "${var.name}-frontend"
  description = "OrleansSlm frontend: the API from api_cidrs, SSH from ssh_cidr"
  vpc_id      = module.vpc.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "frontend_api" {
  for_each = toset(var.api_cidrs)

  security_group_id = aws_security_group.frontend.id
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = var.api_port
  to_port           = var.api_port
}

resource "aws_vpc_security_group_ingress_rule" "frontend_ssh" {
  count = var.ssh_cidr == "" ? 0 : 1

  security_group_id = aws_security_group.frontend.id
  cidr_ipv4         = var.ssh_cidr
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
}

resource "aws_security_group" "silo" {
  name        = "${var.name}-silo"
  description = "OrleansSlm silos: silo, gateway and probe ports inside the VPC only"
  vpc_id      = module.vpc.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "silo_ports" {
  for_each = { silo = 11111, gateway = 30000, probes = 8081 }

  security_group_id = aws_security_group.silo.id
  cidr_ipv4         = var.vpc_cidr
  ip_protocol       = "tcp"
  from_port         = each.value
  to_port           = each.value
}

resource "aws_vpc_security_group_ingress_rule" "silo_ssh_from_frontend" {
  security_group_id            = aws_security_group.silo.id
  referenced_security_group_id = aws_security_group.frontend.id
  ip_protocol                  = "tcp"
  from_port                    = 22
  to_port                      = 22
}

resource "aws_security_group" "postgres" {
  name        = "${var.name}-postgres"
  description = "PostgreSQL reachable from the OrleansSlm VMs only"
  vpc_id      = module.vpc.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "postgres_from_vms" {
  for_each = { frontend = aws_security_group.frontend.id, silo = aws_security_group.silo.id }

  security_group_id            = aws_security_group.postgres.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_vpc_security_group_egress_rule" "all" {
  for_each = { frontend = aws_security_group.frontend.id, silo = aws_security_group.silo.id }

  security_group_id = each.value
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}
