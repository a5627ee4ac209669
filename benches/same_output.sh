#!/bin/bash
# Checks that a faster build writes exactly what an older one wrote.
#
# usage: benches/same_output.sh OLD_BIN NEW_BIN [LOG]
#
# Runs both builds in a dozen modes (text, JSON, events, interpreted, summary,
# raw greps, -v, two threads) over LOG (default: a 20 MB log made by
# ../shared/bench/mkbench.py) and over every file of ../shared/corpus, with
# stderr and exit codes included, and compares the hashes. Performance work
# must leave every line of output as it was.
set -u
old=$(realpath "${1:?old binary}")
new=$(realpath "${2:?new binary}")
here=$(cd "$(dirname "$0")/.." && pwd)
corpus="$here/../shared/corpus"
log=${3:-/tmp/auexplain-bench-20.log}
if [ ! -f "$log" ]; then
  python3 "$here/../shared/bench/mkbench.py" "$corpus" "$log" 20 >/dev/null || exit 2
fi
log=$(realpath "$log")
export TZ=UTC LC_ALL=C NO_COLOR=1
files=$(cd "$corpus" && find . -type f ! -name '*.md' | sort)
hash_of() { # BIN MODE...
  local bin=$1; shift
  local one=$("$bin" "$@" "$log" 2>&1 | sha256sum | cut -c1-16)
  local threads="--threads 1"
  case "$*" in *threads*) threads="";; esac
  local all=$(cd "$corpus" && for f in $files; do "$bin" "$@" $threads "$f" 2>&1; echo "rc=$?"; done | sha256sum | cut -c1-16)
  echo "$one $all"
}
status=0
while read -r mode; do
  a=$(hash_of "$old" $mode)
  b=$(hash_of "$new" $mode)
  if [ "$a" = "$b" ]; then
    echo "same       $mode"
  else
    echo "DIFFERENT  $mode"
    status=1
  fi
done <<'MODES'
--color never
--records --color never
-v --color never
--summary
--format json
--format json --events
--format interpreted
-m USER_AUTH --format raw
--format raw -m SYSCALL,PATH
--threads 2 --color never
--threads 2 --format json
MODES
exit $status
