# Output with colours and with sequences that must not reach the screen,
# for streaming.sh: the test runs it as a step and again by itself, to
# compare the capture file with what it printed.
printf 'before-clear\n'
printf '\033[31mRED\033[0m \033[1;32mGREEN\033[0m \033[38;5;208mORANGE\033[0m plain\n'
printf '\033]0;PWNED-TITLE\007\033]2;PWNED-TITLE2\033\\'
printf '\033[2J\033[H\033[3J'
printf '\033[?1049l\033[?25h\033[?1000h'
printf '\033[5;5Hmoved\033[2A up\033[10C right\n'
printf '\033]52;c;cHduZWQ=\007'
printf '\033P+q544e\033\\'
printf 'bell\007 done\033c\n'
printf 'after-clear\n'
