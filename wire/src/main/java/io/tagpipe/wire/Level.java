package io.tagpipe.wire;

import java.util.Locale;

/** Log levels in order of severity, with the spellings of Java and Python loggers folded in. */
public enum Level {
    TRACE, DEBUG, INFO, WARN, ERROR, FATAL;

    /** Parses {@code warning}, {@code critical}, {@code fine} … ; {@code null} when not a level. */
    public static Level parse(String s) {
        if (s == null) {
            return null;
        }
        switch (s.strip().toUpperCase(Locale.ROOT)) {
            case "TRACE": case "FINEST": case "FINER": case "ALL": return TRACE;
            case "DEBUG": case "FINE": case "CONFIG": return DEBUG;
            case "INFO": case "NOTICE": return INFO;
            case "WARN": case "WARNING": return WARN;
            case "ERROR": case "SEVERE": return ERROR;
            case "FATAL": case "CRITICAL": case "PANIC": case "EMERGENCY": case "ALERT": return FATAL;
            default: return null;
        }
    }

    public boolean atLeast(Level other) {
        return compareTo(other) >= 0;
    }
}
