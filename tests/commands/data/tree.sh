# A process tree that ignores SIGTERM, for cancel.sh: the leader (this
# shell), a background child, and a grandchild whose parent has exited;
# all of them hold the output pipe.  With "escape", one more process
# escapes into its own session (setsid) and holds the pipe too.  Every
# process carries the marker $1 in its command line; the leader writes
# its pid (the process group) to $1.leader in the working directory.
#
#   sh tree.sh MARKER [escape]
trap '' TERM
echo $$ >"$1.leader"
sh -c 'trap "" TERM; while :; do sleep 0.2; done' "$1-child" &
sh -c 'sh -c "trap \"\" TERM; while :; do sleep 0.2; done" "$0-grandchild" &
    exit 0' "$1" &
if [ "${2:-}" = escape ]; then
	setsid sh -c 'while :; do sleep 0.2; done' "$1-escaped" &
fi
echo "tree ready: $1"
while :; do
	sleep 0.2
done
