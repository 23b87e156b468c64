package io.tagpipe.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityDetectorTest {
    @TempDir
    Path dir;

    private static AppIdentity detect(ProcessInfo p) {
        return new IdentityDetector(p).detect(null);
    }

    @Test
    void plainMainClassInAPackage() {
        assertThat(detect(FakeProcess.command("com.acme.billing.BillingApiApplication --port 8080")))
                .isEqualTo(new AppIdentity("billing-api", AppIdentity.MAIN_CLASS));
    }

    @Test
    void genericSimpleNamesInDifferentPackagesGiveDifferentLabels() {
        assertThat(detect(FakeProcess.command("com.acme.billing.api.Main")).label()).isEqualTo("billing-api");
        assertThat(detect(FakeProcess.command("com.acme.billing.worker.Main")).label()).isEqualTo("billing-worker");
        assertThat(detect(FakeProcess.command("com.acme.search.indexer.Application")).label()).isEqualTo("search-indexer");
        assertThat(detect(FakeProcess.command("com.acme.search.App")).label()).isEqualTo("acme-search");
        assertThat(detect(FakeProcess.command("com.acme.gateway.Server")).label()).isEqualTo("acme-gateway");
    }

    @Test
    void jarWithMainClassUsesTheManifest() throws IOException {
        Path jar = jar("billing-api-1.4.2.jar", "Main-Class", "com.acme.reports.NightlyReport");
        assertThat(detect(FakeProcess.command(jar + " --once")))
                .isEqualTo(new AppIdentity("nightly-report", AppIdentity.JAR));
    }

    @Test
    void springBootFatJarUsesStartClassNotTheLauncher() throws IOException {
        for (String launcher : List.of("org.springframework.boot.loader.launch.JarLauncher",
                "org.springframework.boot.loader.PropertiesLauncher")) {
            Path jar = jar("svc-" + launcher.length() + ".jar", "Main-Class", launcher,
                    "Start-Class", "com.acme.orders.OrdersApplication");
            assertThat(detect(FakeProcess.command(jar.toString())))
                    .isEqualTo(new AppIdentity("orders", AppIdentity.JAR));
        }
    }

    @Test
    void launcherJarWithoutStartClassFallsBackToTheVersionlessJarName() throws IOException {
        Path jar = jar("billing-api-1.4.2.jar", "Main-Class", "org.springframework.boot.loader.launch.JarLauncher");
        assertThat(detect(FakeProcess.command(jar.toString()))).isEqualTo(new AppIdentity("billing-api", AppIdentity.JAR));
    }

    @Test
    void versionedJarNamesLoseTheirVersion() {
        assertThat(JarManifests.withoutVersion("billing-api-1.4.2")).isEqualTo("billing-api");
        assertThat(JarManifests.withoutVersion("billing-api-1.4.2-SNAPSHOT")).isEqualTo("billing-api");
        assertThat(JarManifests.withoutVersion("search_indexer_3")).isEqualTo("search_indexer");
        assertThat(JarManifests.withoutVersion("http2-server-2.0.0-all")).isEqualTo("http2-server");
        assertThat(JarManifests.withoutVersion("service-2fa")).isEqualTo("service-2fa");
        // a jar that does not exist (or has no manifest) is named by its file
        assertThat(detect(FakeProcess.command("/srv/missing/billing-api-1.4.2.jar")))
                .isEqualTo(new AppIdentity("billing-api", AppIdentity.JAR));
        assertThat(detect(FakeProcess.command("/srv/billing/app.jar")).label()).isEqualTo("srv-billing");
    }

    @Test
    void jarPathWithSpacesAndRelativeToTheWorkingDirectory() throws IOException {
        Files.createDirectories(dir.resolve("my apps"));
        Path jar = jar("my apps/tool.jar", "Main-Class", "com.acme.tools.ReportServer");
        assertThat(detect(FakeProcess.command(jar + " arg")).label()).isEqualTo("report");
        assertThat(detect(FakeProcess.command("my apps/tool.jar arg").prop("user.dir", dir.toString())).label())
                .isEqualTo("report");
    }

    @Test
    void classWithAJarArgumentIsStillTheClass() {
        assertThat(detect(FakeProcess.command("com.acme.etl.Loader data.jar")))
                .isEqualTo(new AppIdentity("loader", AppIdentity.MAIN_CLASS));
    }

    @Test
    void moduleAndClass() {
        assertThat(detect(FakeProcess.command("billing.api/com.acme.billing.api.Main x").prop("jdk.module.main", "billing.api")))
                .isEqualTo(new AppIdentity("billing-api", AppIdentity.MODULE));
        FakeProcess fromArgs = new FakeProcess();
        fromArgs.args = List.of("-Xmx1g", "-p", "mods", "-m", "com.acme.ledger/com.acme.ledger.LedgerMain");
        assertThat(detect(fromArgs)).isEqualTo(new AppIdentity("ledger", AppIdentity.MODULE));
    }

    @Test
    void ideAndTestRunnerLaunchersAreLookedThrough() {
        assertThat(detect(FakeProcess.command(
                "com.intellij.rt.execution.application.AppMainV2 com.acme.billing.api.Main --debug")))
                .isEqualTo(new AppIdentity("billing-api", AppIdentity.MAIN_CLASS));
        assertThat(detect(FakeProcess.command(
                "org.apache.maven.surefire.booter.ForkedBooter /tmp/surefire1 2026-11-26T02-30-00_1-jvmRun1 surefire1.tmp")))
                .isEqualTo(AppIdentity.unknown());
        assertThat(detect(FakeProcess.command(
                "worker.org.gradle.process.internal.worker.GradleWorkerMain 'Gradle Test Executor 1'")))
                .isEqualTo(AppIdentity.unknown());
        assertThat(detect(FakeProcess.command(
                "org.junit.platform.console.ConsoleLauncher --select-class com.acme.FooTest")))
                .isEqualTo(AppIdentity.unknown());
    }

    @Test
    void commandFromProcessHandleArgumentsWhenTheJavaCommandIsMissing() {
        FakeProcess p = new FakeProcess();
        p.args = List.of("-Xmx512m", "-cp", "a.jar:b.jar", "-Dx=y", "com.acme.search.indexer.Main", "--full");
        assertThat(detect(p)).isEqualTo(new AppIdentity("search-indexer", AppIdentity.MAIN_CLASS));
        p.args = List.of("-jar", "/opt/search/indexer-2.1.0.jar");
        assertThat(detect(p)).isEqualTo(new AppIdentity("indexer", AppIdentity.JAR));
    }

    @Test
    void environmentBeatsPropertyBeatsEntrypoint() {
        FakeProcess p = FakeProcess.command("com.acme.billing.api.Main").prop("tagpipe.app", "From-Property");
        assertThat(detect(p)).isEqualTo(new AppIdentity("from-property", AppIdentity.PROPERTY));
        p.env("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod,service.name=otel%20resource, team=x");
        assertThat(detect(p)).isEqualTo(new AppIdentity("otel-resource", AppIdentity.OTEL));
        p.env("OTEL_SERVICE_NAME", "otel-svc");
        assertThat(detect(p)).isEqualTo(new AppIdentity("otel-svc", AppIdentity.OTEL));
        p.env("TAGPIPE_APP", "Billing API");
        assertThat(detect(p)).isEqualTo(new AppIdentity("billing-api", AppIdentity.ENV));
        assertThat(new IdentityDetector(p).detect("explicit.one"))
                .isEqualTo(new AppIdentity("explicit.one", AppIdentity.EXPLICIT));
    }

    @Test
    void unusableValuesFallThroughToTheNextRule() {
        FakeProcess p = FakeProcess.command("com.acme.billing.api.Main").env("TAGPIPE_APP", "!!!")
                .env("OTEL_SERVICE_NAME", "  ");
        assertThat(new IdentityDetector(p).detect("???")).isEqualTo(new AppIdentity("billing-api", AppIdentity.MAIN_CLASS));
    }

    @Test
    void nothingDetectableIsUnknownServiceJava() {
        assertThat(detect(new FakeProcess())).isEqualTo(new AppIdentity("unknown_service:java", AppIdentity.UNKNOWN));
        assertThat(detect(FakeProcess.command("   "))).isEqualTo(AppIdentity.unknown());
    }

    private Path jar(String name, String... attributes) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        for (int i = 0; i < attributes.length; i += 2) {
            m.getMainAttributes().putValue(attributes[i], attributes[i + 1]);
        }
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return jar;
    }
}
