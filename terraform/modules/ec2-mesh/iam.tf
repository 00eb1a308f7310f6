data "aws_iam_policy_document" "ec2_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

locals {
  s3_locations = [for url in compact([var.release_url, var.model.mirror_url]) : trimprefix(url, "s3://") if startswith(url, "s3://")]
}

data "aws_iam_policy_document" "vm" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_db_instance.postgres.master_user_secret[0].secret_arn, aws_secretsmanager_secret.api_keys.arn]
  }

  dynamic "statement" {
    for_each = length(local.s3_locations) == 0 ? [] : [1]
    content {
      actions   = ["s3:GetObject", "s3:ListBucket"]
      resources = flatten([for location in local.s3_locations : ["arn:aws:s3:::${split("/", location)[0]}", "arn:aws:s3:::${location}/*"]])
    }
  }
}

resource "aws_iam_role" "vm" {
  name_prefix        = "${var.name}-vm-"
  assume_role_policy = data.aws_iam_policy_document.ec2_trust.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "vm" {
  name   = "orleans-slm"
  role   = aws_iam_role.vm.id
  policy = data.aws_iam_policy_document.vm.json
}

# Session Manager as an alternative to SSH.
resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.vm.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "vm" {
  name_prefix = "${var.name}-vm-"
  role        = aws_iam_role.vm.name
}
