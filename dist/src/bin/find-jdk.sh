# Finds a JDK >= 21 for Gantry's launchers (sourced by ./gantry in a checkout and by bin/gantry when installed):
# $JAVA_HOME if it is one, else the first under /usr/lib/jvm, /usr/local/lib/jvm or /opt/java. Sets JAVA_HOME.
need=21

java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}

find_jdk() {
  local cand v
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/*; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    v=$(java_major "$cand/bin/java")
    if [ -n "$v" ] && [ "$v" -ge "$need" ]; then echo "$cand"; return 0; fi
  done
  return 1
}

if ! jdk=$(find_jdk); then
  echo "gantry: no JDK $need or newer found." >&2
  echo "  Looked at \$JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm/*; the ones there are older or lack javac." >&2
  echo "  Install one (for example: apt-get install openjdk-21-jdk-headless or a Temurin JDK) or set JAVA_HOME." >&2
  exit 3
fi
export JAVA_HOME=$jdk

# Says so when the java on the PATH cannot run the SDK (class files of Java $need).
warn_old_java() {
  local v
  command -v java >/dev/null 2>&1 || return 0
  v=$(java_major "$(command -v java)")
  if [ -n "$v" ] && [ "$v" -lt "$need" ]; then
    echo "gantry: note: the java on your PATH is Java $v; the SDK needs Java $need or newer." >&2
    echo "  Use $JAVA_HOME/bin/javac, $JAVA_HOME/bin/java and $JAVA_HOME/bin/jshell (or export PATH=$JAVA_HOME/bin:\$PATH)." >&2
  fi
}

# The jars of directory $1 joined by ':'.
jars_of() {
  local cp="" f
  for f in "$1"/*.jar; do cp=${cp:+$cp:}$f; done
  echo "$cp"
}
