#!/usr/bin/env bash
# Writes manifest.json into a model directory for a mirror (Model:MirrorUrl): the SHA-256 sum and size of every
# file under it, which the model store checks each download against. Usage: scripts/write-model-manifest.sh DIR
set -euo pipefail

dir="${1:?usage: $0 MODEL_DIRECTORY}"
[[ -d "$dir" ]] || { printf 'not a directory: %s\n' "$dir" >&2; exit 1; }
cd "$dir"

entries=()
while IFS= read -r -d '' file; do
  path="${file#./}"
  sum="$(sha256sum "$file" | cut -d' ' -f1)"
  size="$(stat -c %s "$file")"
  entries+=("    \"${path}\": {\"sha256\": \"${sum}\", \"size\": ${size}}")
done < <(find . -type f ! -name manifest.json ! -name '*.partial' ! -name .complete -print0 | sort -z)

{
  printf '{\n  "files": {\n'
  for i in "${!entries[@]}"; do
    printf '%s' "${entries[$i]}"
    ((i < ${#entries[@]} - 1)) && printf ','
    printf '\n'
  done
  printf '  }\n}\n'
} >manifest.json
printf 'wrote %s/manifest.json (%d files)\n' "$PWD" "${#entries[@]}"
