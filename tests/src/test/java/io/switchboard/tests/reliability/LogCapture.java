package io.switchboard.tests.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every Log4j 2 event of this JVM (the functions log through SLF4J to Log4j 2, as in Lambda) while open: Switchboard's
 * own at every level, third-party libraries' at INFO and above (their DEBUG dumps — Jetty's request headers, the AWS
 * SDK's canonical requests — are not Switchboard's to control). Each as logger, level, message, context data (MDC
 * and key-value pairs) and the stack trace of the exception.
 */
final class LogCapture extends AbstractAppender implements AutoCloseable {
    private final List<String> lines = new ArrayList<>();
    private final LoggerContext context;
    private final java.util.Map<LoggerConfig, Level> previousLevels = new java.util.HashMap<>();

    private LoggerConfig added;

    private LogCapture(LoggerContext context) {
        super("reliability-capture", null, null, true, Property.EMPTY_ARRAY);
        this.context = context;
    }

    /** Starts capturing; {@code all}: lowers the root level to ALL meanwhile (DEBUG and TRACE lines too). */
    static LogCapture start(boolean all) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        LogCapture capture = new LogCapture(context);
        capture.start();
        if (all && configuration.getLoggerConfig("io.switchboard").getName().isEmpty()) {
            LoggerConfig own = new LoggerConfig("io.switchboard", Level.ALL, true);
            configuration.addLogger("io.switchboard", own);
            capture.added = own;
        }
        // every logger configuration (a non-additive one, e.g. io.switchboard, would not reach the root's appenders)
        List<LoggerConfig> configs = new ArrayList<>(configuration.getLoggers().values());
        if (!configs.contains(configuration.getRootLogger())) {
            configs.add(configuration.getRootLogger());
        }
        for (LoggerConfig config : configs) {
            capture.previousLevels.put(config, config.getLevel());
            config.addAppender(capture, Level.ALL, null);
            if (all && config.getName().startsWith("io.switchboard")) {
                config.setLevel(Level.ALL); // Switchboard's own DEBUG and TRACE too; third parties keep their levels
            }
        }
        context.updateLoggers();
        return capture;
    }

    @Override
    public void append(LogEvent event) {
        boolean own = event.getLoggerName() != null && event.getLoggerName().startsWith("io.switchboard");
        if (!own && !event.getLevel().isMoreSpecificThan(Level.INFO)) {
            return; // third-party DEBUG/TRACE (Jetty's header dumps, the AWS SDK's canonical requests): out of scope
        }
        StringBuilder line = new StringBuilder().append(event.getLevel()).append(' ').append(event.getLoggerName())
            .append(' ').append(event.getMessage().getFormattedMessage()).append(' ')
            .append(event.getContextData().toMap());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        synchronized (lines) {
            lines.add(line.toString());
        }
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The lines containing {@code text}. */
    List<String> containing(String text) {
        List<String> found = new ArrayList<>();
        for (String line : lines()) {
            if (line.contains(text)) {
                found.add(line);
            }
        }
        return found;
    }

    @Override
    public void close() {
        previousLevels.forEach((config, level) -> {
            config.removeAppender(getName());
            config.setLevel(level);
        });
        if (added != null) {
            context.getConfiguration().removeLogger(added.getName());
        }
        context.updateLoggers();
        stop();
    }
}
