# Sourced by bin/costlake and bin/test: makes Java 17 and Maven available before anything else runs.
# When either is missing and we run as root on a Debian/Ubuntu machine, installs the OS packages
# (openjdk-17-jdk-headless, maven), as bin/test does for PostgreSQL; otherwise stops with the one
# command to run. Sets JAVA (and JAVA_HOME, for Maven) when the Java 17 found is not the first on PATH.

# Is $1 a Java 17? Reads the version into a variable: piping into `grep -q` would end the writer early,
# and pipefail would turn that SIGPIPE into a failure.
is_java17() {
  local version
  version="$( ("$1" -version 2>&1) || true)"
  [[ "$version" == *'version "17'* ]]
}

# Uses JAVA, else java on PATH, else the OS package's Java 17 under /usr/lib/jvm.
find_java17() {
  local candidate
  for candidate in "${JAVA:-java}" /usr/lib/jvm/java-17-openjdk-*/bin/java; do
    if [[ -x "$candidate" || "$candidate" == "${JAVA:-java}" ]] && is_java17 "$candidate"; then
      if [[ "$candidate" == /* ]]; then
        export JAVA="$candidate"
        export JAVA_HOME="${candidate%/bin/java}"
      fi
      return 0
    fi
  done
  return 1
}

ensure_java_maven() {
  local who="$1" missing=()
  find_java17 || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  ((${#missing[@]})) || return 0

  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$who: needs Java 17 and Maven 3.8+ (missing: ${missing[*]}); install them with your OS's packages" >&2
    exit 1
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "$who: needs Java 17 and Maven 3.8+; install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "$who: installing ${missing[*]} (apt-get install)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  if ! find_java17 || ! command -v mvn >/dev/null 2>&1; then
    echo "$who: installed ${missing[*]}, yet no Java 17 under /usr/lib/jvm or no mvn on PATH" >&2
    exit 1
  fi
}
