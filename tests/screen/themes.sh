#!/bin/sh
# Themes: every bundled theme starts, by name (./themes) or by file;
# NO_COLOR and --no-color use no colour at all; the LIVE banner differs
# between default and mono; a bad theme file is reported with its place
# and the default is used.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/screen/lib.sh"

e=$scr_esc

# The colour parameters of every SGR sequence on the screen (30-38,
# 40-48, 90-97, 100-107; 39 and 49, "default colour", are not colours).
colours() {
	scr_screen_e | grep -o "${e}\\[[0-9;]*m" | sed "s/^${e}\\[//; s/m\$//" |
	    tr ';' '\n' | grep -E '^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$' | sort -un |
	    tr '\n' ' ' | sed 's/ $//'
}

# The escape sequences before the first text of row 0 (the header's or
# the LIVE banner's look), ESC written as "ESC".
look() {
	scr_screen_e | head -n 1 | sed "s/^\\(\\(${e}\\[[0-9;]*m\\)*\\).*/\\1/" |
	    sed "s/${e}/ESC/g"
}

# start NAME ARGS...: the picker with those options; sets $look_NAME.
start() {
	name=$1
	shift
	SCR_CWD=$top_srcdir scr_start -r "$scr_data/incident.yaml" "$@"
	scr_up "$name: the picker starts" '^ rbnav  runbook navigator '
	unlike "$scr_last" 'theme:' "$name: no theme error"
	eval "look_$name=\$(look)"
	eval "colours_$name=\$(colours)"
	scr_keys q
	scr_wait_exit
	is "$scr_status" 0 "$name: q exits 0"
}

start default --theme default
start light --theme light
start highcontrast --theme high-contrast
start mono --theme mono
start lightfile --theme "$top_srcdir/themes/light.yaml"
SCR_ENV=NO_COLOR=1 start nocolor
start nocoloropt --no-color

like "$colours_default" '[0-9]' "default: the screen has colours ($colours_default)"
like "$look_default" '^(ESC\[[0-9;]*m)+$' "default: the header has its look ($look_default)"
isnt() {
	if [ "$1" != "$2" ]; then ok 0 "$3"; else ok 1 "$3"; echo "# both: $1"; fi
}
isnt "$look_light" "$look_default" "light: the header differs from default ($look_light)"
isnt "$look_highcontrast" "$look_default" "high-contrast: the header differs from default ($look_highcontrast)"
isnt "$look_highcontrast" "$look_light" "high-contrast: and from light"
is "$look_lightfile" "$look_light" "a theme by file path is the same as by name"
is "$colours_mono" "" "mono: no colour SGR at all"
like "$look_mono" 'ESC\[([0-9]+;)*7(;[0-9]+)*m' "mono: the header is in reverse video ($look_mono)"
is "$colours_nocolor" "" "NO_COLOR: no colour SGR at all"
is "$look_nocolor" "$look_mono" "NO_COLOR: looks like mono"
is "$colours_nocoloropt" "" "--no-color: no colour SGR at all"
is "$look_nocoloropt" "$look_mono" "--no-color: looks like mono"

# The LIVE banner: red in default, reverse video in mono.
live() {
	name=$1
	shift
	SCR_CWD=$top_srcdir scr_start -r "$scr_data/incident.yaml" "$@" \
	    run scr-web/web-down --title 'Themes'
	scr_like "$name: the incident starts" '^ LIVE  Themes '
	eval "live_$name=\$(look)"
	eval "livecolours_$name=\$(colours)"
	scr_keys q
	scr_wait_exit
}
live default --theme default
live mono --theme mono
live nocolor --no-color
isnt "$live_default" "$live_mono" "the LIVE banner looks different in default ($live_default) and mono ($live_mono)"
like "$live_default" 'ESC\[([0-9]+;)*41(;[0-9]+)*m' "default: the LIVE banner is on red"
like "$live_mono" 'ESC\[([0-9]+;)*7(;[0-9]+)*m' "mono: the LIVE banner is in reverse video"
is "$livecolours_mono" "" "mono: no colour SGR on the incident screen"
is "$livecolours_nocolor" "" "--no-color: no colour SGR on the incident screen"

# A bad theme: the error with its place, and the default theme.
SCR_CWD=$scr_data scr_start -r "$scr_data/incident.yaml" --theme ./bad-theme.yaml
scr_like "a bad theme file is reported with file:line:col" \
    "^ theme: \\./bad-theme\\.yaml:6:3: error: unknown element 'headr'"
like "$scr_last" '^ rbnav  runbook navigator ' "the program starts anyway"
like "$(scr_screen)" "using the default\$" "and says it uses the default theme"
is "$(look)" "$look_default" "with the default theme's colours"
scr_keys Down
scr_gone "the message goes at the next key" 'theme:'
scr_keys q
scr_wait_exit
is "$scr_status" 0 "q exits 0"

# Keys that are not strings, in the theme and in one of its styles.
printf 'format: rbnav-theme/v1\n[x]: 1\nelements:\n  title: {[y]: 2}\n' \
    >"$tmp/list-keys.yaml"
scr_start -r "$scr_data/incident.yaml" --theme "$tmp/list-keys.yaml"
scr_like "a theme with a list as a key is reported, not a crash" \
    "^ theme: .*list-keys\.yaml:[0-9]+:[0-9]+: error: a mapping key must b"
is "$(look)" "$look_default" "and the default theme is used"
scr_keys q
scr_wait_exit
is "$scr_status" 0 "q exits 0"

scr_start -r "$scr_data/incident.yaml" --theme no-such-theme
scr_like "an unknown theme name is reported" "^ theme: no-such-theme: .*no theme of that name"
is "$(look)" "$look_default" "and the default theme is used"
scr_keys q
scr_wait_exit
finish
