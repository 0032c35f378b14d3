package io.switchboard.functions.build;

import org.apache.logging.log4j.core.config.plugins.processor.PluginCache;
import org.apache.logging.log4j.core.config.plugins.processor.PluginEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build step that writes the functions jar's Log4j plugin cache keeps exactly the listed plugins, as Log4j reads
 * them back, and refuses a list that names a plugin no dependency has. (The jar's own cache and a cold start that
 * logs through it are checked in the tests module: ShadedJarLoggingTest.)
 */
class Log4jPluginCacheTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheListedPluginsAndWholeCategories() throws IOException {
        Path list = Files.writeString(dir.resolve("plugins.txt"), String.join("\n",
            "# a comment, then a blank line", "", "core/console", "Core/JsonTemplateLayout", "lookup/env",
            "typeconverter/*", "configurationfactory/xmlconfigurationfactory"));
        Path cache = dir.resolve("out/Log4j2Plugins.dat");

        Log4jPluginCache.main(new String[] {list.toString(), cache.toString()});

        Map<String, Map<String, PluginEntry>> written = read(cache);
        assertEquals(Set.of("core", "lookup", "typeconverter", "configurationfactory"), written.keySet());
        assertEquals(Set.of("console", "jsontemplatelayout"), written.get("core").keySet());
        assertEquals("org.apache.logging.log4j.core.appender.ConsoleAppender",
            written.get("core").get("console").getClassName());
        assertEquals("org.apache.logging.log4j.layout.template.json.JsonTemplateLayout",
            written.get("core").get("jsontemplatelayout").getClassName());
        assertEquals(Set.of("env"), written.get("lookup").keySet());
        // a whole category: every type converter the class path's caches have
        assertEquals(available().get("typeconverter").keySet(), written.get("typeconverter").keySet());
        assertTrue(written.get("typeconverter").size() > 20, written.get("typeconverter").keySet()::toString);
    }

    @Test
    void theFunctionsListNamesOnlyPluginsThatExist() throws IOException {
        Path cache = dir.resolve("Log4j2Plugins.dat");
        Log4jPluginCache.main(new String[] {Path.of("src/main/log4j-plugins.txt").toString(), cache.toString()});

        Map<String, Map<String, PluginEntry>> written = read(cache);
        // what the functions' log4j2.xml and Powertools' JSON templates need is there
        assertTrue(written.get("configurationfactory").containsKey("xmlconfigurationfactory"));
        for (String key : Set.of("console", "jsontemplatelayout", "loggers", "logger", "root", "appenders",
                "appenderref", "bufferingappender", "patternlayout")) {
            assertTrue(written.get("core").containsKey(key), key);
        }
        for (String key : Set.of("exceptionresolverfactory", "levelresolverfactory", "loggerresolverfactory",
                "messageresolverfactory", "powertoolsresolverfactory", "threadresolverfactory",
                "timestampresolverfactory")) {
            assertTrue(written.get("jsontemplateresolverfactory").containsKey(key), key);
        }
        assertTrue(written.get("lookup").containsKey("env"));
        // and what a Lambda function cannot use is not
        assertFalse(written.get("core").containsKey("rollingfile"));
        assertFalse(written.get("core").containsKey("jdbc"));
        assertFalse(written.get("lookup").containsKey("jndi"));
        int kept = written.values().stream().mapToInt(Map::size).sum();
        int all = available().values().stream().mapToInt(Map::size).sum();
        assertTrue(kept < all / 2 + 1, kept + " of " + all);
    }

    @Test
    void aLineThatNamesNoPluginFailsTheBuild() throws IOException {
        Path list = Files.writeString(dir.resolve("plugins.txt"), "core/console\ncore/consol\nnosuchcategory/*\n");
        Path cache = dir.resolve("Log4j2Plugins.dat");

        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> Log4jPluginCache.main(new String[] {list.toString(), cache.toString()}));

        assertTrue(e.getMessage().contains("[core/consol, nosuchcategory/*]"), e.getMessage());
        assertFalse(Files.exists(cache), "nothing written");
    }

    private static Map<String, Map<String, PluginEntry>> read(Path cache) throws IOException {
        PluginCache read = new PluginCache();
        read.loadCacheFiles(Collections.enumeration(java.util.List.of(cache.toUri().toURL())));
        return read.getAllCategories();
    }

    private static Map<String, Map<String, PluginEntry>> available() throws IOException {
        PluginCache all = new PluginCache();
        java.util.List<URL> caches = Collections.list(Log4jPluginCacheTest.class.getClassLoader()
            .getResources("META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat"));
        all.loadCacheFiles(Collections.enumeration(caches));
        return all.getAllCategories();
    }
}
