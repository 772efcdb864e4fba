using Microsoft.Playwright;

namespace Workbook.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright, started once for the tests that open reports. Playwright cannot
/// download a browser here, so it is pointed at /usr/bin/chromium, the browser that CI installs. It sees the
/// machine's fonts except its math fonts (those with "math" in their file name: Latin Modern Math, STIX Two Math,
/// DejaVu Math TeX Gyre, Noto Sans Math…), as a learner's machine may have none: the reports must look right without.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The system's font configuration, less every font file whose name says "math", in any case.</summary>
    private const string FontsWithoutMath = """
        <?xml version="1.0"?>
        <!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
        <fontconfig>
          <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
          <selectfont>
            <rejectfont>
              <glob>*math*</glob>
              <glob>*Math*</glob>
              <glob>*MATH*</glob>
            </rejectfont>
          </selectfont>
        </fontconfig>
        """;

    private IPlaywright? _playwright;
    private string? _fontConfig;

    /// <summary>The running browser.</summary>
    public IBrowser Instance { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new FileNotFoundException($"The report tests need Chromium at {ChromiumPath}: apt-get install -y chromium");
        }
        _fontConfig = Directory.CreateTempSubdirectory("workbook-fonts-").FullName;
        string fontsConf = Path.Combine(_fontConfig, "fonts.conf");
        await File.WriteAllTextAsync(fontsConf, FontsWithoutMath);
        // Playwright hands the browser exactly the environment it is given, so the test's own is passed on with the font configuration.
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!);
        environment["FONTCONFIG_FILE"] = fontsConf;

        _playwright = await Playwright.CreateAsync();
        Instance = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            Env = environment,
        });
    }

    /// <summary>
    /// A browser context with no network, as an offline learner has: pages may load files and data URIs; every other
    /// request is refused and its address added to the returned list.
    /// </summary>
    /// <param name="options">The context's options, such as its viewport.</param>
    public async Task<OfflineContext> OfflineContextAsync(BrowserNewContextOptions? options = null)
    {
        IBrowserContext context = await Instance.NewContextAsync(options);
        var blocked = new List<string>();
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith("file:", StringComparison.Ordinal) || route.Request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
                return;
            }
            lock (blocked) blocked.Add(route.Request.Url);
            await route.AbortAsync();
        });
        return new OfflineContext(context, blocked);
    }

    public async Task DisposeAsync()
    {
        if (Instance is not null) await Instance.CloseAsync();
        _playwright?.Dispose();
        if (_fontConfig is not null) WorkbookRun.DeleteFolder(_fontConfig);
    }
}

/// <summary>A browser context without network and the addresses its pages tried to reach; disposing it closes it.</summary>
public sealed record OfflineContext(IBrowserContext Context, List<string> Blocked) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => new(Context.CloseAsync());
}
