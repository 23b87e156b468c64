package io.tagpipe.collector;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Detects the entrypoint from how the JVM was launched: a main class, {@code -jar x.jar} or
 * {@code -m module/Class}. Launcher mains (Spring Boot loaders, IDE and test runners) are looked
 * through: the next argument is used when it is a class name, otherwise nothing is detected.
 */
final class EntrypointDetector {
    static final Set<String> LAUNCHERS = Set.of(
            "org.springframework.boot.loader.JarLauncher",
            "org.springframework.boot.loader.PropertiesLauncher",
            "org.springframework.boot.loader.WarLauncher",
            "org.springframework.boot.loader.launch.JarLauncher",
            "org.springframework.boot.loader.launch.PropertiesLauncher",
            "org.springframework.boot.loader.launch.WarLauncher",
            "com.intellij.rt.execution.application.AppMain",
            "com.intellij.rt.execution.application.AppMainV2",
            "com.intellij.rt.execution.CommandLineWrapper",
            "com.intellij.rt.junit.JUnitStarter",
            "org.apache.maven.surefire.booter.ForkedBooter",
            "worker.org.gradle.process.internal.worker.GradleWorkerMain",
            "org.gradle.process.internal.worker.GradleWorkerMain",
            "org.junit.platform.console.ConsoleLauncher",
            "org.eclipse.jdt.internal.junit.runner.RemoteTestRunner",
            "org.codehaus.plexus.classworlds.launcher.Launcher");
    /** JVM options whose value is the next argument (ProcessHandle view only). */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p",
            "--module-path", "--upgrade-module-path", "--add-modules", "--add-opens", "--add-exports",
            "--add-reads", "--patch-module", "--limit-modules", "--enable-native-access");
    private static final Pattern CLASS_NAME =
            Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");

    private final JarManifests jars;

    EntrypointDetector(JarManifests jars) {
        this.jars = jars;
    }

    /** The detected identity, or {@code null} when the launch shows no application entrypoint. */
    AppIdentity detect(ProcessInfo process) {
        String command = process.property("sun.java.command");
        if (command != null && !command.isBlank()) {
            return fromJavaCommand(command.strip(), process.property("jdk.module.main"));
        }
        return fromArguments(process.arguments());
    }

    /** {@code sun.java.command}: "main.Class args", "path/x.jar args" or "module/main.Class args". */
    AppIdentity fromJavaCommand(String command, String mainModule) {
        String jar = jarPrefix(command);
        if (jar != null) {
            return jars.identity(jar);
        }
        List<String> tokens = List.of(command.split("\\s+"));
        String first = tokens.get(0);
        if (mainModule != null || first.contains("/")) {
            return fromModule(first, mainModule);
        }
        return fromClass(tokens);
    }

    AppIdentity fromArguments(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-jar") && i + 1 < args.size()) {
                return jars.identity(args.get(i + 1));
            }
            if ((a.equals("-m") || a.equals("--module")) && i + 1 < args.size()) {
                return fromModule(args.get(i + 1), null);
            }
            if (a.startsWith("--module=")) {
                return fromModule(a.substring("--module=".length()), null);
            }
            if (OPTIONS_WITH_VALUE.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return fromClass(args.subList(i, args.size()));
            }
        }
        return null;
    }

    private static AppIdentity fromModule(String moduleAndClass, String mainModule) {
        int slash = moduleAndClass.indexOf('/');
        if (slash >= 0 && slash + 1 < moduleAndClass.length()) {
            String label = EntryLabels.forClass(moduleAndClass.substring(slash + 1));
            if (label != null) {
                return new AppIdentity(label, AppIdentity.MODULE);
            }
        }
        String module = slash >= 0 ? moduleAndClass.substring(0, slash) : mainModule != null ? mainModule : moduleAndClass;
        return AppIdentity.of(module, AppIdentity.MODULE);
    }

    /** The first token is a main class; launchers hand over to the next token if it is a class. */
    private static AppIdentity fromClass(List<String> tokens) {
        int i = 0;
        while (i < tokens.size() && LAUNCHERS.contains(tokens.get(i))) {
            i++;
        }
        if (i >= tokens.size() || !isClassName(tokens.get(i))) {
            return null;
        }
        String label = EntryLabels.forClass(tokens.get(i));
        return label == null ? null : new AppIdentity(label, AppIdentity.MAIN_CLASS);
    }

    static boolean isClassName(String s) {
        return CLASS_NAME.matcher(s).matches();
    }

    /**
     * The jar path at the start of the command, or {@code null}. The path may contain spaces; a
     * leading class name wins unless the longer path names an existing jar.
     */
    String jarPrefix(String command) {
        String first = command.split("\\s+", 2)[0];
        if (endsWithJar(first)) {
            return first;
        }
        String lower = command.toLowerCase(Locale.ROOT);
        for (int at = lower.indexOf(".jar"); at >= 0; at = lower.indexOf(".jar", at + 4)) {
            int end = at + 4;
            if (end == command.length() || Character.isWhitespace(command.charAt(end))) {
                String path = command.substring(0, end);
                return !isClassName(first) || jars.exists(path) ? path : null;
            }
        }
        return null;
    }

    private static boolean endsWithJar(String s) {
        return s.length() > 4 && s.regionMatches(true, s.length() - 4, ".jar", 0, 4);
    }
}
