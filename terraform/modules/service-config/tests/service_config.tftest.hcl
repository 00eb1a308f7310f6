# Offline: the module has no providers, so `terraform test` plans it without credentials or a network.
variables {
  aws_region  = "eu-west-1"
  release_url = "s3://orleans-slm-releases/0.1.0"
  postgres = {
    host       = "orleans-slm.cluster-abc.eu-west-1.rds.amazonaws.com"
    database   = "orleans"
    secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orleans-slm-db"
  }
}

run "gpu_silo_runs_the_model_on_cuda_with_the_gpu_role" {
  command = plan

  variables {
    role  = "silo-gpu"
    model = { precision = "fp32", mirror_url = "s3://orleans-slm-models/mirror" }
  }

  assert {
    condition     = output.environment["Orleans__Metadata__role"] == "gpu" && output.environment["Model__Device"] == "cuda"
    error_message = "a GPU silo must publish role gpu and run on cuda"
  }
  assert {
    condition     = output.environment["Model__Precision"] == "fp32" && output.environment["Model__MirrorUrl"] == "s3://orleans-slm-models/mirror"
    error_message = "the model settings must reach the environment"
  }
  assert {
    condition     = strcontains(output.bootstrap_script, "release_url=\"s3://orleans-slm-releases/0.1.0\"") && strcontains(output.bootstrap_script, "$release_url/orleans-slm-silo-gpu.tar.gz")
    error_message = "a GPU silo must fetch the GPU build of the silo"
  }
  assert {
    condition     = output.unit_name == "orleans-slm-silo.service"
    error_message = "silos run the silo unit"
  }
}

run "cpu_silo_gets_the_cluster_keys_and_the_silo_unit" {
  command = plan

  variables {
    role       = "silo-cpu"
    cluster_id = "test-cluster"
  }

  assert {
    condition     = output.environment["Orleans__ClusterId"] == "test-cluster" && output.environment["Orleans__SiloPort"] == "11111" && output.environment["Orleans__GatewayPort"] == "30000"
    error_message = "silo ports and cluster id must reach the environment"
  }
  assert {
    condition     = output.environment["Model__Device"] == "cpu" && output.environment["Model__Precision"] == "int8"
    error_message = "a CPU silo runs int8 on the CPU by default"
  }
  assert {
    condition     = startswith(output.cloud_init, "#cloud-config\n") && strcontains(output.cloud_init, "ExecStart=/usr/bin/dotnet /opt/orleans-slm/silo/OrleansSlm.Silo.dll")
    error_message = "cloud-init must carry the silo unit"
  }
  assert {
    condition     = strcontains(output.environment_file, "Orleans__Metadata__role=cpu\n")
    error_message = "the environment file must hold one KEY=value line per key"
  }
  assert {
    condition     = !strcontains(output.bootstrap_script, "Auth__ApiKeys")
    error_message = "silos get no API keys"
  }
}

run "frontend_gets_client_settings_and_api_keys_but_no_model" {
  command = plan

  variables {
    role                = "frontend"
    api_keys_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orleans-slm-api-keys"
  }

  assert {
    condition     = output.environment["Orleans__Metadata__role"] == "frontend" && !contains(keys(output.environment), "Model__Id")
    error_message = "the frontend has the frontend role and no model section"
  }
  assert {
    condition     = strcontains(output.bootstrap_script, "Auth__ApiKeys__") && strcontains(output.bootstrap_script, "orleans-slm-frontend.tar.gz")
    error_message = "the frontend reads its API keys and fetches the frontend build"
  }
  assert {
    condition     = strcontains(output.cloud_init, "systemd/system/orleans-slm-frontend.service")
    error_message = "cloud-init must install the frontend unit"
  }
}

run "unknown_role_is_refused" {
  command = plan

  variables {
    role = "gateway"
  }

  expect_failures = [var.role]
}

run "unknown_precision_is_refused" {
  command = plan

  variables {
    role  = "silo-cpu"
    model = { precision = "fp16" }
  }

  expect_failures = [var.model]
}
