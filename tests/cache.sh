#!/bin/sh
# The YAML tree cache (rbnav(1), FILES): the first run writes it, private
# to the user; later runs take their trees from it (seen by changing a
# title in the cached tree only); a runbook edited without a change of
# size or time is read anew (the cache compares bytes, not times); a
# damaged, foreign or unwritable cache changes nothing but the speed; one
# that others own or may write is not trusted; and
# RBNAV_NO_CACHE and XDG_CACHE_HOME are obeyed.
. "$top_srcdir/tests/lib.sh"

rb="$tmp/rb"
mkdir -p "$rb"
cp "$top_srcdir/tests/data/good/minimal.yaml" "$rb/a.yaml"
cache="$HOME/.cache/rbnav/ytree.cache"
cd "$tmp" || exit 1

list() {
	"$RBNAV" -r "$rb" list >"$tmp/out" 2>"$tmp/err"
	echo "rc=$? $(cat "$tmp/out" "$tmp/err")"
}

# Replace the last copy of $2 in file $1 by $3 (as long): the tree's copy,
# since the file's bytes come first in each entry.
patch_last() {
	python3 - "$1" "$2" "$3" <<'EOF'
import sys
path, old, new = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
data = open(path, "rb").read()
i = data.rindex(old)
open(path, "wb").write(data[:i] + new + data[i + len(old):])
EOF
}

out=$(list)
like "$out" '^rc=0 .*Minimal runbook' "the first run lists the runbook"
check "the first run writes the cache" test -f "$cache"
is "$(stat -c %a "$cache")" 600 "the cache file is private to the user"
is "$(stat -c %a "$HOME/.cache/rbnav")" 700 "so is its directory"
is "$(head -c 18 "$cache")" "rbnav ytree cache" "it is a tree cache"
like "$(tr -c '[:print:]' . <"$cache")" 'Minimal runbook.*Minimal runbook' \
    "with the file's bytes and its tree"

before=$(stat -c '%i %Y' "$cache")
is "$(list)" "$out" "the second run lists the same"
is "$(stat -c '%i %Y' "$cache")" "$before" \
    "and does not write the cache again"

patch_last "$cache" "Minimal runbook" "Cached! runbook"
like "$(list)" 'Cached! runbook' \
    "the tree comes from the cache (its title changed there only)"

# A cache that others may write is not trusted: what it holds is what
# the operator would be shown and run.
chmod 620 "$cache"
unlike "$(list)" 'Cached!' "a cache the group may write is not used"
is "$(stat -c %a "$cache")" 600 "and is written anew, private"
patch_last "$cache" "Minimal runbook" "Cached! runbook"
chmod 602 "$cache"
unlike "$(list)" 'Cached!' "nor one that anyone may write"
if [ "$(id -u)" = 0 ]; then
	patch_last "$cache" "Minimal runbook" "Cached! runbook"
	chmod 600 "$cache"
	chown 65534 "$cache"
	unlike "$(list)" 'Cached!' "nor one that another user owns"
	is "$(stat -c %u "$cache")" 0 "which is replaced by the user's own"
fi
patch_last "$cache" "Minimal runbook" "Cached! runbook"

# The same size and the same modification time: only the bytes differ.
stamp=$(stat -c %y "$rb/a.yaml")
sed 's/Minimal runbook/Changed runbook/' "$rb/a.yaml" >"$tmp/new"
cat "$tmp/new" >"$rb/a.yaml"
touch -d "$stamp" "$rb/a.yaml"
is "$(stat -c %y "$rb/a.yaml")" "$stamp" "the edit keeps the file's time"
out=$(list)
like "$out" 'Changed runbook' \
    "a file edited in place is read anew, whatever its time"
unlike "$out" 'Cached!|Minimal' "and nothing of the old tree is left"
is "$(list)" "$out" "the new tree is cached in turn"

patch_last "$cache" "Changed runbook" "Cache!! runbook"
like "$(list)" 'Cache!! runbook' "(the tree is taken from the cache again)"
sed '2s/^[0-9]*/999/' "$cache" >"$tmp/other" && cat "$tmp/other" >"$cache"
is "$(list)" "$out" "a cache of another version is ignored"
check "and written anew, for this version" \
    sh -c "! grep -q '^999 ' '$cache'"
head -c 200 "$cache" >"$tmp/cut" && cat "$tmp/cut" >"$cache"
is "$(list)" "$out" "a cache cut short is ignored"
head -c 4000 /dev/urandom >"$cache"
is "$(list)" "$out" "a cache of random bytes is ignored"
is "$(head -c 18 "$cache")" "rbnav ytree cache" "and replaced by a whole one"

# Problems are found on every run: a file with an error is not cached.
printf 'format: rbnav/v1\nid: x\nid: y\n' >"$rb/dup.yaml"
first=$(list)
like "$first" "dup.yaml:3:1: error: duplicate key 'id'" \
    "a file with an error is reported"
is "$(list)" "$first" "and reported again on the next run"
unlike "$(tr -c '[:print:]' . <"$cache")" 'id: y' "it is not in the cache"
rm "$rb/dup.yaml"

rm -rf "$HOME/.cache"
out=$("$RBNAV" validate "$rb/a.yaml" 2>&1)
like "$out" '1 file checked: 0 errors' "validate checks the file"
check "and parses it every time: no cache is written" \
    test ! -e "$HOME/.cache/rbnav"

out=$(RBNAV_NO_CACHE=1 "$RBNAV" -r "$rb" list 2>&1)
like "$out" 'Changed runbook' "RBNAV_NO_CACHE: the list is the same"
check "and no cache is written" test ! -e "$HOME/.cache/rbnav"

out=$(XDG_CACHE_HOME="$tmp/xdg" "$RBNAV" -r "$rb" list 2>&1)
like "$out" 'Changed runbook' "XDG_CACHE_HOME: the list is the same"
check "the cache is written there" test -f "$tmp/xdg/rbnav/ytree.cache"
check "and not in ~/.cache" test ! -e "$HOME/.cache/rbnav"

# A cache that cannot be written: the place is a file, not a directory.
: >"$tmp/notadir"
out=$(XDG_CACHE_HOME="$tmp/notadir" "$RBNAV" -r "$rb" list 2>&1)
is "$?" 0 "a cache that cannot be written: rbnav still works"
like "$out" 'Changed runbook' "with the same list"
unlike "$out" 'cache|error' "and says nothing of the cache"

# Not a regular file: a FIFO is not opened for good, a link not followed.
rm -rf "$HOME/.cache"
mkdir -p "$HOME/.cache/rbnav"
mkfifo "$HOME/.cache/rbnav/ytree.cache"
out=$(timeout 10 "$RBNAV" -r "$rb" list 2>&1)
is "$?" 0 "a FIFO in the cache's place: rbnav does not wait on it"
like "$out" 'Changed runbook' "and lists the same"
rm -f "$HOME/.cache/rbnav/ytree.cache"
"$RBNAV" -r "$rb" list >/dev/null 2>&1
patch_last "$cache" "Changed runbook" "Linked! runbook"
mv "$cache" "$tmp/elsewhere"
ln -s "$tmp/elsewhere" "$cache"
unlike "$(list)" 'Linked!' "a link in the cache's place is not followed"
check "and is replaced by the cache itself" test ! -L "$cache"

finish
