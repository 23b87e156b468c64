package io.tagpipe.sink;

/**
 * The only way text reaches SQL: string literals and identifiers are escaped here, so a label
 * with quotes or backslashes is data, never syntax.
 */
public final class Sql {
    private Sql() {
    }

    /** {@code it's\x} → {@code 'it\'s\\x'} (ClickHouse string literal escaping). */
    public static String literal(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("\\'");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\0' -> b.append("\\0");
                default -> b.append(c);
            }
        }
        return b.append('\'').toString();
    }

    /** Back-quoted identifier: {@code my`db} → {@code `my\`db`}. */
    public static String ident(String s) {
        return '`' + s.replace("\\", "\\\\").replace("`", "\\`") + '`';
    }

    /** {@code `db`.`table`}. */
    public static String table(String database, String table) {
        return ident(database) + "." + ident(table);
    }
}
