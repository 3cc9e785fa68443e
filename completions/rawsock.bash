# bash completion for rawsock and its applets.             -*- shell-script -*-
# Installed as .../bash-completion/completions/rawsock, with a link named
# after each applet, so bash-completion loads it for any of them. It needs
# nothing from the bash-completion package.

# One line per applet: NAME|OPTIONS|FORMATS. An option that takes a value
# ends in '=KIND': iface (interface names), type (ethertype names), typeany
# (the same and "any"), format (FORMATS, the values of -o), file, user,
# cmd, or nothing (a number or a MAC: no guesses). Adding an applet is
# adding its line.
_rawsock_table=(
'rawsend|-i=iface --interface=iface -l --lines -v --verbose -x --hex -0 --null -c= --count= -d= --dest= -j= --jobs= -r=file --read=file -s= --source= -t=type --type=type -w=file --write=file -Z=user --user=user --dry-run --frame --interval= --pad --rate= --timing --vis --vlan= -h --help --version|'
'rawrecv|-i=iface --interface=iface -p --promisc -q --quiet -c= --count= -j= --jobs= -o=format --output=format -r=file --read=file -t=typeany --type=typeany -w=file --write=file -Z=user --user=user --timeout= --ts --vlan= -h --help --version|rawpacket raw hex json vis'
'rawsniff-arp|-i=iface --interface=iface -q --quiet -c= --count= -o=format --output=format -Z=user --user=user --timeout= -h --help --version|block line json'
'rawecho|-i=iface --interface=iface -q --quiet -v --verbose -c= --count= -e=cmd --exec=cmd -j= --jobs= -r=type --reply-type=type -t=type --type=type -Z=user --user=user --guard= --handler-timeout= --timeout= -h --help --version|'
'rawping|-i=iface --interface=iface -q --quiet -c= --count= -d= --dest= -r=type --reply-type=type -s= --size= -t=type --type=type -W= --wait= -Z=user --user=user --interval= -h --help --version|'
)

# The names -t takes besides numbers (src/frame.c has the same list).
_rawsock_ethertypes='ipv4 arp wol rarp vlan ipv6 mpls pppoe-disc pppoe eapol
qinq lldp macsec ptp rawsock'

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
	local formats kind="" names="" l o
	local -a words=("${COMP_WORDS[@]:0:COMP_CWORD}")

	COMPREPLY=()
	applet=${words[0]##*/}
	if [ "$applet" = rawsock ]; then
		if [ "$COMP_CWORD" -eq 1 ]; then
			for l in "${_rawsock_table[@]}"; do
				names="$names ${l%%|*}"
			done
			case $cur in
			-*) names="--list --help --version" ;;
			esac
			_rawsock_reply -W "$names" -- "$cur"
			return 0
		fi
		# "rawsock APPLET ARGS...": complete ARGS as APPLET's.
		applet=${words[1]}
		words=("${words[@]:1}")
	fi
	line=$(_rawsock_line "$applet") || return 0
	IFS='|' read -r _ opts formats <<< "$line"

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
	format)
		_rawsock_reply -W "$formats" -- "$cur" ;;
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
				names="$names ${o%%=*}"
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
