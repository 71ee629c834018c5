/*
 * The POSIX sh script behind "Test connection", run as `sh -s -- PYTHON WORKDIR` with the script on
 * stdin, so one ssh round trip answers everything and no quoting of the script itself is needed.
 *
 * It prints one line per finding: "item<TAB>status<TAB>detail...", status ok|missing|error. Each
 * check is independent: a missing nvidia-smi or a Python without torch is a finding, not a crash.
 */
export const PROBE_SCRIPT = String.raw`
py=$1
dir=$2
flat() { tr '\n\t' '  ' | sed 's/ *$//'; }
last() { printf '%s\n' "$1" | sed '/^[[:space:]]*$/d' | tail -n 1 | flat; }

printf 'ssh\tok\t%s\n' "$(uname -snm 2>/dev/null | flat)"

out=$("$py" --version 2>&1)
rc=$?
if [ "$rc" -eq 127 ]; then
  printf 'python\tmissing\t%s\n' "$(last "$out")"
  printf 'torch\tskipped\t\n'
else
  if [ "$rc" -eq 0 ]; then
    printf 'python\tok\t%s\n' "$(last "$out")"
  else
    printf 'python\terror\t%s\n' "$(last "$out")"
  fi
  out=$("$py" -c '
import json, torch
cuda = bool(torch.cuda.is_available())
print(json.dumps({"version": str(torch.__version__), "cuda": cuda,
                  "device": torch.cuda.get_device_name(0) if cuda else None}))
' 2>&1)
  if [ $? -eq 0 ]; then
    printf 'torch\tok\t%s\n' "$(last "$out")"
  else
    case $out in
      *"No module named 'torch'"* | *"No module named torch"*) status=missing ;;
      *) status=error ;;
    esac
    printf 'torch\t%s\t%s\n' "$status" "$(last "$out")"
  fi
fi

if command -v nvidia-smi >/dev/null 2>&1; then
  if out=$(nvidia-smi --query-gpu=name,memory.total,memory.used,utilization.gpu --format=csv,noheader 2>&1); then
    printf '%s\n' "$out" | while IFS= read -r line; do
      [ -n "$line" ] && printf 'gpu\tok\t%s\n' "$line"
    done
  else
    printf 'gpu\terror\t%s\n' "$(last "$out")"
  fi
else
  printf 'gpu\tmissing\t\n'
fi

# The work dir may not exist before the first job: measure the nearest folder that does, and
# say which (both expanded, so "~/x" compares with what it became).
d=$dir
while [ ! -d "$d" ]; do d=$(dirname -- "$d"); done
if out=$(df -Pk -- "$d" 2>&1); then
  printf 'disk\tok\t%s\t%s\t%s\n' "$d" "$dir" "$(last "$out")"
else
  printf 'disk\terror\t%s\n' "$(last "$out")"
fi
`;
