# Sourced by the benchmark scripts: sets AUGUR to $AUGUR_BIN when given, else to a release build of
# augur made here (swift build -c release --product augur).
if [[ -n "${AUGUR_BIN:-}" ]]; then
    AUGUR="$AUGUR_BIN"
else
    echo "== building augur (release)" >&2
    swift build -c release --product augur >/dev/null
    AUGUR="$(swift build -c release --show-bin-path)/augur"
fi
