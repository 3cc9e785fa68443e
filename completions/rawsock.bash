# bash completion for rawsock and its applets.             -*- shell-script -*-
# Made by `rawsock --complete bash` from the option tables: do not edit.
# Installed as .../bash-completion/completions/rawsock, with a link named
# after each applet, so bash-completion loads it for any of them. It needs
# nothing from the bash-completion package.

# One line per applet: NAME|OPTIONS. An option that takes a value ends in
# '=KIND': iface (interface names), type (ethertype names), typeany (the
# same and "any"), words:A,B (one of those), file, user, cmd, or nothing
# (a number or a MAC: no guesses). '!' marks another spelling, not offered.
_rawsock_table=(
'rawsend|-i=iface --interface=iface -t=type --type=type -d= --dest= -a= --source= !-s= -c= --count= --interval= --rate= -j= --jobs= -l --lines -x --hex --vis -0 --null --json --frame -r=file --read=file --timing --vlan= --pad --no-pad --dry-run -w=file --write=file -Z=user --user=user -v --verbose -h --help --version'
'rawrecv|-i=iface --interface=iface -t=typeany --type=typeany -c= --count= --timeout= -o=words:rawpacket,raw,hex,json,vis --output=words:rawpacket,raw,hex,json,vis -w=file --write=file -r=file --read=file --ts --vlan= -j= --jobs= --busy-poll -p --promisc -Z=user --user=user -q --quiet -h --help --version'
'rawsniff-arp|-i=iface --interface=iface -c= --count= --timeout= -o=words:block,line,json --output=words:block,line,json -p --promisc --vlan= --watch --state=file --conflict-window= -v --verbose -Z=user --user=user -q --quiet -h --help --version'
'rawecho|-i=iface --interface=iface -t=type --type=type -R=type --reply-type=type !-r=type -e=cmd --exec=cmd --pipe=cmd -j= --jobs= --handler-timeout= --busy-poll --guard= -c= --count= --timeout= -Z=user --user=user --vlan= -q --quiet -v --verbose -h --help --version'
'rawping|-i=iface --interface=iface -d= --dest= -t=type --type=type -R=type --reply-type=type !-r=type -c= --count= --interval= -s= --size= -W= --wait= --vlan= --busy-poll --timestamps=words:user,software,hardware -D -o=words:text,json --output=words:text,json --histogram -Z=user --user=user -q --quiet -h --help --version'
)

# The names -t takes besides numbers (from ethertype_list(), src/frame.c).
_rawsock_ethertypes='ipv4 arp wol rarp vlan ipv6 mpls pppoe-disc pppoe eapol qinq lldp macsec ptp rawsock'

# _rawsock_line NAME: the table line of applet NAME ("send" is "rawsend").
_rawsock_line() {
	local line
	for line in "${_rawsock_table[@]}"; do
		case ${line%%|*} in
		"$1" | "raw$1") printf '%s\n' "$line"; return 0 ;;
		esac
	done
	return 1
}

# _rawsock_reply COMPGEN-ARGS...: one completion per line of compgen,
# so names with blanks stay whole.
_rawsock_reply() {
	mapfile -t COMPREPLY < <(compgen "$@")
}

_rawsock_complete() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev="" applet line opts
	local kind="" names="" l o
	local -a words=("${COMP_WORDS[@]:0:COMP_CWORD}")

	COMPREPLY=()
	applet=${words[0]##*/}
	if [ "$applet" = rawsock ]; then
		if [ "$COMP_CWORD" -eq 1 ]; then
			for l in "${_rawsock_table[@]}"; do
				names="$names ${l%%|*}"
			done
			case $cur in
			-*) names="--complete --help --list --version" ;;
			esac
			_rawsock_reply -W "$names" -- "$cur"
			return 0
		fi
		if [ "${words[1]}" = --complete ]; then
			[ "$COMP_CWORD" -eq 2 ] &&
			    _rawsock_reply -W "bash fish zsh" -- "$cur"
			return 0
		fi
		# "rawsock APPLET ARGS...": complete ARGS as APPLET's.
		applet=${words[1]}
		words=("${words[@]:1}")
	fi
	line=$(_rawsock_line "$applet") || return 0
	opts=${line#*|}

	# COMP_WORDBREAKS splits "--type=ar" into "--type" "=" "ar".
	if [ "$cur" = "=" ]; then
		cur=""
		prev=${words[${#words[@]} - 1]}
	elif [ "${#words[@]}" -gt 1 ]; then
		prev=${words[${#words[@]} - 1]}
		[ "$prev" = "=" ] && [ "${#words[@]}" -gt 2 ] &&
		    prev=${words[${#words[@]} - 2]}
	fi

	# Does prev take a value, and of what kind?
	for o in $opts; do
		o=${o#!}
		case $o in
		"$prev="*) kind=${o#*=}; [ -n "$kind" ] || kind=none; break ;;
		esac
	done
	case $kind in
	iface)
		local -a ifaces=(/sys/class/net/*)
		_rawsock_reply -W "${ifaces[*]##*/}" -- "$cur" ;;
	type)
		_rawsock_reply -W "$_rawsock_ethertypes" -- "$cur" ;;
	typeany)
		_rawsock_reply -W "$_rawsock_ethertypes any" -- "$cur" ;;
	words:*)
		l=${kind#words:}
		_rawsock_reply -W "${l//,/ }" -- "$cur" ;;
	file)
		compopt -o filenames 2> /dev/null
		_rawsock_reply -f -- "$cur" ;;
	user)
		_rawsock_reply -u -- "$cur" ;;
	cmd)
		_rawsock_reply -c -- "$cur" ;;
	none)
		;;
	*)
		case $cur in
		"" | -*)
			names=""
			for o in $opts; do
				case $o in
				!*) ;;
				*) names="$names ${o%%=*}" ;;
				esac
			done
			_rawsock_reply -W "$names" -- "$cur" ;;
		esac ;;
	esac
	return 0
}

# Every applet name, and rawsock itself, completes through the table.
complete -F _rawsock_complete rawsock
for _rawsock_l in "${_rawsock_table[@]}"; do
	complete -F _rawsock_complete "${_rawsock_l%%|*}"
done
unset _rawsock_l
