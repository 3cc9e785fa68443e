# zsh -f tests/completion.zsh DIR LINE: prints, one a line, the matches
# zsh's completion offers for LINE, with DIR (holding _rawsock) first in
# fpath. An interactive zsh runs in a pseudo-terminal (zpty); compadd is
# wrapped to print each match it is given, between two marks. compinit
# -D writes no dump: it renames its dump into place, so '-d /dev/null'
# replaced /dev/null with a regular file for the whole machine.
zmodload zsh/zpty || exit 2
setup=$(mktemp) || exit 2
cat > $setup <<SETUP
PS1= RPS1=
unsetopt beep
fpath=(${(q)1} \$fpath)
autoload -U compinit
compinit -u -D
bindkey '^I' complete-word
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
LISTMAX=100000
rawsock_mark() { print -rn -- \$'\x01\n' }
compprefuncs=(rawsock_mark)
comppostfuncs=(rawsock_mark exit)
compadd() {
	if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "\$@"
		return
	fi
	local -a hits
	local h
	builtin compadd -A hits "\$@"
	for h in \$hits; do print -r -- "<\$h>"; done
	builtin compadd "\$@"
}
SETUP
zpty z zsh -f -i
zpty -w z "source ${(q)setup}"
zpty -n -w z "$2"$'\t'
integer on=0
local line
while zpty -r z line; do
	line=${${line//$'\r'/}%$'\n'}
	if [[ $line == *$'\x01'* ]]; then
		(( on++ )) && break
		continue
	fi
	(( on )) && [[ $line == '<'*'>' ]] && print -r -- ${${line#<}%>}
done
zpty -d z
rm -f $setup
