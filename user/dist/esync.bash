# SPDX-License-Identifier: GPL-2.0-only
# bash completion for esync(1)

_esync_list()	# comma-separated lists: complete the last item
{
	local prefix=
	[[ $cur == *,* ]] && prefix=${cur%,*},
	COMPREPLY=($(compgen -P "$prefix" -W "$1" -- "${cur##*,}"))
	compopt -o nospace 2>/dev/null
}

_esync()
{
	local cur prev words cword
	_init_completion || return

	local cmds="live record check show export topology version"
	local checks="H1 H2 H3 H4 H5 F1 F2 F3 A1 U1 incomplete"

	if ((cword == 1)); then
		COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
		return
	fi
	local cmd=${words[1]}

	case $prev in
	-o | --output)
		[[ $cmd == record ]] && COMPREPLY=($(compgen -W "-" -- "$cur"))
		_filedir
		return
		;;
	--only | --check)
		_esync_list "$checks"
		return
		;;
	--mode)
		COMPREPLY=($(compgen -W "patched legacy" -- "$cur"))
		return
		;;
	--sysfs)
		_filedir -d
		return
		;;
	--perf)
		_filedir
		return
		;;
	--device)
		COMPREPLY=($(compgen -W "$(command ls /sys/bus/pci/devices 2>/dev/null)" -- "$cur"))
		return
		;;
	-d | --duration | --flight | --buffer-size | --iommu | --entry | --from | --to | --max-open)
		return
		;;
	esac

	local opts
	case $cmd in
	live)
		opts="--json --verbose --duration --device --iommu --mode --buffer-size --help" ;;
	record)
		opts="--output --force --flight --json --verbose --duration --device --iommu --mode --buffer-size --help" ;;
	check)
		opts="--json --tap --only --max-open --quiet --stats --perf --help" ;;
	show)
		opts="--summary --entry --device --check --help" ;;
	export)
		opts="--chrome --output --force --entry --device --check --from --to --help" ;;
	topology)
		opts="--sysfs --json --aliased --help" ;;
	*)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	case $cmd in
	check | show | export)
		_filedir '@(dump|DUMP)'
		;;
	topology)
		COMPREPLY=($(compgen -W "$(command ls /sys/bus/pci/devices 2>/dev/null)" -- "$cur"))
		;;
	esac
} && complete -F _esync esync
