package io.switchboard.functions.build;

import org.apache.logging.log4j.core.config.plugins.processor.PluginCache;
import org.apache.logging.log4j.core.config.plugins.processor.PluginEntry;
import org.apache.logging.log4j.core.config.plugins.processor.PluginProcessor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A build step, not part of the functions jar (the shade plugin leaves this package out): writes the jar's Log4j
 * plugin cache with only the plugins {@code src/main/log4j-plugins.txt} lists, taken from the caches of the
 * dependencies on the class path. Log4j loads every class its cache lists when it starts; see that file for why
 * and for its format. Run by Maven ({@code exec:java} at {@code process-classes}) with two arguments: the list and
 * the cache file to write. Fails, naming them, on lines that match no plugin.
 */
public final class Log4jPluginCache {
    private Log4jPluginCache() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: Log4jPluginCache <plugin list> <cache file to write>");
        }
        Path list = Path.of(args[0]);
        Path cacheFile = Path.of(args[1]);
        PluginCache available = new PluginCache();
        List<URL> caches = Collections.list(
            Log4jPluginCache.class.getClassLoader().getResources(PluginProcessor.PLUGIN_CACHE_FILE));
        // this module's own output from an earlier build is a subset of the rest: reading it again changes nothing
        available.loadCacheFiles(Collections.enumeration(caches));
        Map<String, Map<String, PluginEntry>> all = available.getAllCategories();

        PluginCache kept = new PluginCache();
        List<String> unknown = new ArrayList<>();
        int listed = 0;
        for (String raw : Files.readAllLines(list)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            listed++;
            int slash = line.indexOf('/');
            String category = slash < 0 ? line : line.substring(0, slash).toLowerCase(Locale.ROOT);
            String key = slash < 0 ? "" : line.substring(slash + 1).toLowerCase(Locale.ROOT);
            Map<String, PluginEntry> entries = all.get(category);
            if (entries == null || key.isEmpty() || (!key.equals("*") && !entries.containsKey(key))) {
                unknown.add(line);
            } else if (key.equals("*")) {
                kept.getCategory(category).putAll(entries);
            } else {
                kept.getCategory(category).put(key, entries.get(key));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalStateException(list + ": no Log4j plugin on the class path matches " + unknown
                + " (a line is category/key, as Log4j2Plugins.dat names them, lower case; the caches read: " + caches + ")");
        }
        Files.createDirectories(cacheFile.getParent());
        try (OutputStream out = Files.newOutputStream(cacheFile)) {
            kept.writeCache(out);
        }
        int total = all.values().stream().mapToInt(Map::size).sum();
        int written = kept.getAllCategories().values().stream().mapToInt(Map::size).sum();
        System.out.printf(Locale.ROOT, "Log4j plugin cache: %d of the %d plugins on the class path (%d lines of %s)%n",
            written, total, listed, list.getFileName());
    }
}
