package io.oshigan.gateway;

import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page in a real browser (the system's headless Chromium): upload a sprite and see its face counted, see a
 * generated face render, see the training dashboard update live. Screenshots land in target/screenshots.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(StubBackends.class)
class BrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static WebDriver browser;

    @TestHTTPResource("/")
    URL root;

    @Inject
    ObjectStore store;

    @BeforeAll
    static void openBrowser() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium is needed for the browser tests (.ci/run installs it: apt-get install chromium chromium-driver)").exists();
        assertThat(DRIVER).as("Debian's chromium-driver is needed for the browser tests").exists();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1200,1000", "--user-data-dir=" + Files.createTempDirectory("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void uploadGalleryAndDashboardWorkInABrowser() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(root + "#upload");
        WebElement key = browser.findElement(By.id("api-key"));
        key.sendKeys(GatewayApiTest.KEY);
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("localStorage.setItem('oshigan-key', arguments[0])", GatewayApiTest.KEY);
        browser.findElement(By.id("files")).sendKeys(GatewayApiTest.sprite().toAbsolutePath().toString());
        wait.until(d -> d.findElement(By.cssSelector("#uploads li .result")).getText().contains("looking for faces"));

        // the crop-service is not part of this test: write the manifest it would write for this upload
        String uploaded = store.list(Bucket.RAW, "uploads/").stream()
                .max(java.util.Comparator.comparing(o -> o.lastModified())).orElseThrow().key();
        var object = store.stat(Bucket.RAW, uploaded).orElseThrow();
        String sourceId = ObjectKeys.sourceId("raw", uploaded, object.eTag());
        var manifest = io.oshigan.contracts.CropManifest.of("raw", uploaded, object.eTag(), java.util.List.of(
                new io.oshigan.contracts.CropManifest.Entry(0, ObjectKeys.crop(sourceId, 0),
                        new io.oshigan.contracts.FaceCropped.Box(10, 10, 40, 40), "0".repeat(64))), Instant.now());
        store.put(Bucket.FACES, ObjectKeys.cropManifest(sourceId), io.oshigan.contracts.CropManifest.CODEC.encode(manifest),
                "application/json");
        wait.until(d -> d.findElement(By.cssSelector("#uploads li .result")).getText().equals("1 face found"));
        screenshot("upload");

        browser.get(root + "#gallery");
        wait.until(d -> d.findElements(By.cssSelector("#gallery .face img")).size() == 12);
        wait.until(d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                "return [...document.querySelectorAll('#gallery img')].every(i => i.complete && i.naturalWidth === 96)"));
        assertThat(browser.findElement(By.id("version")).getText()).contains("stub@1");
        // a face gives its seed and a permalink that names the model version too (same version, same seed: same bytes)
        browser.findElement(By.cssSelector("#gallery .face .pick")).click();
        WebElement detail = browser.findElement(By.id("face-detail"));
        assertThat(detail.getText()).contains("seed ").contains("model stub@1");
        assertThat(detail.findElement(By.tagName("a")).getAttribute("href")).contains("version=stub%401");
        assertThat(browser.findElement(By.id("grid-download")).getAttribute("href")).contains("/api/faces/grid?n=16");
        screenshot("gallery");

        browser.get(root + "#training");
        wait.until(d -> d.findElement(By.id("t-state")).getText().equals("TRAINING"));
        String firstStep = browser.findElement(By.id("t-step")).getText();
        wait.until(d -> !d.findElement(By.id("t-step")).getText().equals(firstStep)); // live: server-sent events
        assertThat(browser.findElement(By.id("t-speed")).getText()).isEqualTo("123");
        browser.findElement(By.id("play")).click();
        assertThat(browser.findElement(By.id("play")).getAttribute("aria-pressed")).isEqualTo("true");
        screenshot("training");
    }

    private static void screenshot(String view) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(view + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
