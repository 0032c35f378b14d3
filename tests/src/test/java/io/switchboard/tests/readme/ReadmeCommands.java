package io.switchboard.tests.readme;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands a Markdown page shows a reader, in the order they appear: every statement of a shell code block
 * ({@code ```bash}), the command lines of a plain block ({@code ```} without a language, where a line that starts
 * with a program is a command and what follows two spaces is its description), and inline code in prose that starts
 * with a program and has arguments ({@code `sam delete --stack-name switchboard`}). A shell line is cut at its
 * comment and split at {@code &&} and {@code ;}; continuation lines are joined; the lines of an interactive
 * transcript ({@code > sent}, {@code < received}) are not commands. Whitespace is collapsed, so that a command reads
 * the same wherever it is wrapped.
 */
final class ReadmeCommands {

    /** One command as the page shows it, and the line of the page it starts on. */
    record Command(String text, int line) {
        @Override
        public String toString() {
            return "`" + text + "` (line " + line + ")";
        }
    }

    private static final Pattern FENCE = Pattern.compile("^(\\s*)```\\s*([\\w-]*)\\s*$");
    private static final Set<String> SHELL = Set.of("bash", "sh", "shell", "console", "zsh");
    /** A program the README's readers run, after optional {@code NAME=value} assignments. */
    private static final Pattern PROGRAM = Pattern.compile(
        "^(?:[A-Za-z_][A-Za-z0-9_]*=\\S*\\s+)*(?:bin/[\\w-]+|\\.ci/[\\w-]+|mvn|sam|java|curl|npx|npm|node|wscat"
            + "|python3?|pip3?|cfn-lint|docker|aws)(?=\\s|$)");
    private static final Pattern INLINE = Pattern.compile("`([^`]+)`");

    private ReadmeCommands() {}

    static List<Command> extract(String markdown) {
        List<Command> commands = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        StringBuilder prose = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            Matcher open = FENCE.matcher(lines[i]);
            if (!open.matches()) {
                prose.append(lines[i]).append('\n');
                continue;
            }
            String indent = open.group(1);
            String language = open.group(2).toLowerCase(java.util.Locale.ROOT);
            int first = i + 1;
            int end = first;
            while (end < lines.length && !lines[end].strip().equals("```")) {
                end++;
            }
            List<String> block = new ArrayList<>();
            for (int j = first; j < end; j++) {
                block.add(lines[j].startsWith(indent) ? lines[j].substring(indent.length()) : lines[j].strip());
            }
            if (SHELL.contains(language)) {
                shellBlock(block, first + 1, commands);
            } else if (language.isEmpty() || language.equals("text")) {
                plainBlock(block, first + 1, commands);
            }
            for (int j = i; j <= Math.min(end, lines.length - 1); j++) {
                prose.append('\n');            // keep line numbers for the inline commands
            }
            i = end;
        }
        inline(prose.toString(), commands);
        commands.sort(java.util.Comparator.comparingInt(Command::line));
        return commands;
    }

    private static void shellBlock(List<String> block, int firstLine, List<Command> commands) {
        for (int j = 0; j < block.size(); j++) {
            int line = firstLine + j;
            StringBuilder logical = new StringBuilder(block.get(j));
            while (logical.toString().stripTrailing().endsWith("\\") && j + 1 < block.size()) {
                String text = logical.toString().stripTrailing();
                logical = new StringBuilder(text.substring(0, text.length() - 1)).append(' ').append(block.get(++j));
            }
            String text = logical.toString().strip();
            if (text.isEmpty() || text.startsWith("#") || text.startsWith("> ") || text.startsWith("< ")) {
                continue;
            }
            for (String statement : statements(text)) {
                commands.add(new Command(statement, line));
            }
        }
    }

    private static void plainBlock(List<String> block, int firstLine, List<Command> commands) {
        for (int j = 0; j < block.size(); j++) {
            String text = block.get(j);
            if (!text.isEmpty() && !Character.isWhitespace(text.charAt(0)) && PROGRAM.matcher(text).find()) {
                String command = text.split("\\s{2,}", 2)[0];
                for (String statement : statements(command)) {
                    commands.add(new Command(statement, firstLine + j));
                }
            }
        }
    }

    private static void inline(String prose, List<Command> commands) {
        Matcher span = INLINE.matcher(prose);
        while (span.find()) {
            String text = collapse(span.group(1));
            Matcher program = PROGRAM.matcher(text);
            if (program.find() && program.end() < text.length()) {       // a program with arguments, not a mention
                int line = 1 + (int) prose.substring(0, span.start()).chars().filter(c -> c == '\n').count();
                for (String statement : statements(text)) {
                    commands.add(new Command(statement, line));
                }
            }
        }
    }

    /** The statements of one shell line: cut at an unquoted comment, split at unquoted {@code &&} and {@code ;}. */
    static List<String> statements(String line) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        int depth = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            char next = i + 1 < line.length() ? line.charAt(i + 1) : 0;
            if (quote != 0) {
                current.append(c);
                if (c == '\\' && quote == '"' && next != 0) {
                    current.append(next);
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '\\' && next != 0) {
                current.append(c).append(next);
                i++;
                continue;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0 && c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                break;
            } else if (depth == 0 && (c == ';' || (c == '&' && next == '&'))) {
                add(statements, current);
                current.setLength(0);
                i += c == '&' ? 1 : 0;
                continue;
            }
            current.append(c);
        }
        add(statements, current);
        return statements;
    }

    private static void add(List<String> statements, CharSequence statement) {
        String text = collapse(statement.toString());
        if (!text.isEmpty()) {
            statements.add(text);
        }
    }

    static String collapse(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
