package io.oshigan.e2e;

import io.oshigan.storage.Bucket;
import io.oshigan.storage.ObjectKeys;
import io.oshigan.storage.ObjectStore;
import io.oshigan.testkit.Fixtures;
import io.oshigan.trainer.domain.SyntheticFaces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web page in a real browser (the system's headless Chromium) against the real system: the local stack and the
 * four packaged services. Sprites and one broken file are dropped through the page; each shows what became of it (the
 * picture with its faces boxed and the crops, or the reason it was refused); the gallery shows faces from the
 * trainer's first checkpoint. Screenshots of each page land in target/screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebPageEndToEndTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Map<String, Integer> SPRITE_FACES = PipelineEndToEndTest.SPRITE_FACES;

    LocalSystem system;
    WebDriver browser;
    Path broken;

    @BeforeAll
    void start() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium is needed (.ci/run installs it: apt-get install chromium chromium-driver)").exists();
        assertThat(DRIVER).as("Debian's chromium-driver is needed").exists();
        system = new LocalSystem();
        Runtime.getRuntime().addShutdownHook(new Thread(system::close));
        system.startStack();
        try (ObjectStore objects = system.objects()) { // enough faces for the trainer to start at once
            for (int i = 0; i < PipelineEndToEndTest.SYNTHETIC_FACES; i++) {
                String source = ObjectKeys.sourceId(Bucket.RAW.bucketName(), "synthetic/face-" + i + ".png", "e2e");
                objects.put(Bucket.FACES, ObjectKeys.crop(source, 0), SyntheticFaces.png(SyntheticFaces.face(7, i)), "image/png");
            }
        }
        system.startServices(system.crop, system.trainer, system.sampler, system.gateway);
        broken = Files.createTempDirectory("e2e-page").resolve("broken.png"); // a PNG cut off after 300 bytes
        Files.write(broken, java.util.Arrays.copyOf(Files.readAllBytes(Fixtures.path("anime/eileen-happy.png")), 300));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1200,1400", "--user-data-dir=" + Files.createTempDirectory("chromium"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        system.close();
    }

    @Test
    void uploadsShowTheirFacesOrWhyTheyWereRefusedAndTheGalleryShowsTheTrainedModel() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofMinutes(2));
        browser.get(system.url(system.gateway) + "/#upload");
        browser.findElement(By.id("api-key")).sendKeys(LocalSystem.API_KEY);
        js("localStorage.setItem('oshigan-key', arguments[0])", LocalSystem.API_KEY);
        StringBuilder files = new StringBuilder();
        for (String name : SPRITE_FACES.keySet()) {
            files.append(Fixtures.path("anime/" + name).toAbsolutePath()).append('\n');
        }
        files.append(broken.toAbsolutePath());
        browser.findElement(By.id("files")).sendKeys(files.toString());

        // every upload gets its outcome on the page, without a reload
        wait.until(d -> d.findElements(By.cssSelector("#uploads li[data-status]")).size() == SPRITE_FACES.size() + 1
                && d.findElements(By.cssSelector("#uploads li[data-status=PENDING]")).isEmpty());
        for (WebElement row : browser.findElements(By.cssSelector("#uploads li"))) {
            String name = row.findElement(By.className("name")).getText();
            String result = row.findElement(By.className("result")).getText();
            if (name.endsWith("broken.png")) {
                assertThat(result).as(name).matches("refused: [a-z-]+: .+");
                continue;
            }
            String sprite = SPRITE_FACES.keySet().stream().filter(name::endsWith).findFirst().orElseThrow();
            int faces = SPRITE_FACES.get(sprite);
            assertThat(result).as(name).isEqualTo(faces == 0 ? "no face found" : faces + " face found");
            // the picture with its boxes drawn, and each crop loaded (96x96)
            wait.until(d -> String.valueOf(faces).equals(row.findElement(By.tagName("canvas")).getAttribute("data-boxes")));
            wait.until(d -> (Boolean) js("return [...arguments[0].querySelectorAll('img.crop')].every(i => i.complete && i.naturalWidth === 96)", row));
            assertThat(row.findElements(By.cssSelector("img.crop"))).as(name).hasSize(faces);
        }
        // the history lists the same uploads, newest first, with the same outcomes
        wait.until(d -> d.findElements(By.cssSelector("#history li[data-status]")).size() >= SPRITE_FACES.size() + 1);
        assertThat(browser.findElement(By.id("history-page")).getText()).contains((SPRITE_FACES.size() + 1) + " uploads");
        screenshot("upload");

        // the trainer publishes its first checkpoint; the sampler serves it; the gallery shows its faces
        browser.get(system.url(system.gateway) + "/#gallery");
        wait.until(d -> {
            d.navigate().refresh(); // the page asks for the model when the gallery opens
            try {
                return new WebDriverWait(d, Duration.ofSeconds(10)).until(x ->
                        x.findElement(By.id("version")).getText().startsWith("model " + LocalSystem.RUN + "@"));
            } catch (org.openqa.selenium.TimeoutException notYet) {
                return false;
            }
        });
        wait.until(d -> (Boolean) js("return [...document.querySelectorAll('#gallery img')].length === 12 && "
                + "[...document.querySelectorAll('#gallery img')].every(i => i.complete && i.naturalWidth === 96)"));
        screenshot("gallery");

        // the training page lists that checkpoint with its losses, and offers the epochs' grids as one animated GIF
        browser.get(system.url(system.gateway) + "/#training");
        wait.until(d -> !d.findElements(By.cssSelector("#checkpoints tbody tr")).isEmpty());
        WebElement newest = browser.findElement(By.cssSelector("#checkpoints tbody tr"));
        String version = newest.getAttribute("data-version");
        assertThat(version).startsWith(LocalSystem.RUN + "@");
        List<String> cells = newest.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertThat(cells.get(3)).as("D loss").matches("\\d+\\.\\d{3}");
        assertThat(cells.get(4)).as("G loss").matches("\\d+\\.\\d{3}");
        wait.until(d -> d.findElement(By.id("grids-gif")).isDisplayed());
        HttpResponse<byte[]> gif = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(browser.findElement(By.id("grids-gif")).getAttribute("href"))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gif.statusCode()).isEqualTo(200);
        assertThat(new String(gif.body(), 0, 6, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
        js("document.getElementById('checkpoints').scrollIntoView()");
        screenshot("checkpoints");
        // "serve this one": the gallery shows faces of that version (the row found again: the table is redrawn live)
        browser.findElement(By.cssSelector("#checkpoints tbody tr[data-version='" + version + "'] button")).click();
        wait.until(d -> d.findElement(By.id("version")).getText().startsWith("model " + version));
        wait.until(d -> (Boolean) js("return [...document.querySelectorAll('#gallery img')].length === 12 && "
                + "[...document.querySelectorAll('#gallery img')].every(i => i.complete && i.naturalWidth === 96 && i.src.includes('version=' + encodeURIComponent(arguments[0])))", version));

        // a keyholder excludes a face on the data-set page: the trainer's data set shrinks by one from its next epoch
        browser.get(system.url(system.gateway) + "/#training");
        wait.until(d -> d.findElement(By.id("t-state")).getText().equals("TRAINING"));
        int before = facesInTraining(wait);
        browser.get(system.url(system.gateway) + "/#dataset");
        wait.until(d -> d.findElement(By.id("crop-counts")).getText().matches("\\d+ faces: \\d+ in training, 0 excluded"));
        WebElement first = browser.findElement(By.cssSelector("#crops .crop-cell"));
        String excludedKey = first.getAttribute("data-key");
        first.findElement(By.tagName("button")).click();
        wait.until(d -> d.findElement(By.id("crop-counts")).getText().endsWith(", 1 excluded"));
        wait.until(d -> d.findElement(By.cssSelector("#crops .crop-cell.excluded")).getAttribute("data-key").equals(excludedKey));
        screenshot("dataset");
        browser.get(system.url(system.gateway) + "/#training");
        wait.until(d -> d.findElement(By.id("t-data")).getText().equals((before - 1) + " (+1 excluded)"));
        screenshot("training");
    }

    /** The faces the trainer trains on, as the training page shows them (once it shows a number). */
    private int facesInTraining(WebDriverWait wait) {
        wait.until(d -> d.findElement(By.id("t-data")).getText().matches("\\d+"));
        return Integer.parseInt(browser.findElement(By.id("t-data")).getText());
    }

    private Object js(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

    /**
     * Keyboard and screen-reader basics of what the page shows now: every input has a label, every image an alt
     * text, every canvas and every button or link a name; the keyboard focus is drawn.
     */
    private void assertAccessible(String view) {
        @SuppressWarnings("unchecked")
        List<String> offenders = (List<String>) js("""
                const out = [], shown = (e) => e.offsetParent !== null || e.getClientRects().length > 0;
                const labelled = (e) => e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.closest('label')
                    || (e.id && document.querySelector('label[for="' + e.id + '"]'));
                for (const e of document.querySelectorAll('input:not([type=hidden]), select, textarea'))
                  if (!labelled(e)) out.push('no label: ' + e.outerHTML.slice(0, 80));
                for (const e of document.querySelectorAll('img')) if (!e.hasAttribute('alt')) out.push('no alt: ' + e.outerHTML.slice(0, 80));
                for (const e of document.querySelectorAll('canvas')) if (!e.getAttribute('aria-label')) out.push('no name: canvas#' + e.id);
                for (const e of document.querySelectorAll('button, a[href]')) if (shown(e) && !(e.textContent.trim()
                    || e.getAttribute('aria-label') || e.querySelector('img[alt]:not([alt=""])'))) out.push('no name: ' + e.outerHTML.slice(0, 80));
                return out;""");
        assertThat(offenders).as(view).isEmpty();
        browser.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
        assertThat((String) js("return getComputedStyle(document.activeElement).outlineStyle")).as(view + ": focus drawn")
                .isNotEqualTo("none");
    }

    private void screenshot(String view) throws Exception {
        assertAccessible(view);
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(view + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
