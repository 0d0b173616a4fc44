# apt.sh, sourced by the scripts that install Debian packages
# (ensure-redis.sh, ensure-build-tools.sh): how apt-get can be run here.
#
#   apt_available   true when apt-get can be run: as root, or through sudo
#                   without a password; sets as_root ("" or "sudo -n")
#   apt_install P.. apt-get update once per process, then apt-get install
#                   -y --no-install-recommends of the packages

as_root=""
apt_updated=no

apt_available() {
	command -v apt-get >/dev/null 2>&1 || return 1
	if [ "$(id -u)" -eq 0 ]; then
		as_root=""
		return 0
	fi
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		as_root="sudo -n"
		return 0
	fi
	return 1
}

apt_install() {
	# env, not export: sudo would drop an exported variable.
	if [ "$apt_updated" = no ]; then
		$as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
		apt_updated=yes
	fi
	$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}
