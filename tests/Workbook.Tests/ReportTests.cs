using Microsoft.Playwright;

namespace Workbook.Tests;

/// <summary>
/// The HTML reports of the full run, opened in a real headless Chromium with every network request blocked:
/// they must work offline, draw every chart, render every formula and log no error. A screenshot of each is
/// saved with the test results.
/// </summary>
[Collection(FullRunCollection.Name)]
public sealed class ReportTests(FullRunFixture fixture, Browser browser) : IClassFixture<Browser>
{
    private readonly WorkbookRun _run = fixture.Run;

    public static TheoryData<string> Reports => new(WorkbookRun.Notebooks.Select(n => Path.ChangeExtension(n, ".html")));

    /// <summary>Where screenshots go: beside the TRX results that .ci/run collects.</summary>
    private static string ScreenshotFolder => Path.Combine(WorkbookRun.Root, "artifacts", "test-results", "screenshots");

    [Theory]
    [MemberData(nameof(Reports))]
    public async Task Report_works_offline_with_every_chart_drawn_and_every_formula_rendered(string report)
    {
        string path = Path.Combine(_run.Output, "reports", report);
        Assert.True(File.Exists(path), $"no report {report}:\n{_run.Console}");

        var blocked = new List<string>();
        var errors = new List<string>();
        await using IBrowserContext context = await browser.Instance.NewContextAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } });
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith("file:", StringComparison.Ordinal) || route.Request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
                return;
            }
            blocked.Add(route.Request.Url);
            await route.AbortAsync();
        });
        IPage page = await context.NewPageAsync();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(new Uri(path).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
        int charts = await page.Locator(".cn-chart").CountAsync();
        if (charts > 0)
        {
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.cn-chart')].every(c => c.querySelector('svg.main-svg'))",
                null, new() { Timeout = 30_000 });
        }
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, Path.ChangeExtension(report, ".png")), FullPage = true });

        Assert.Empty(blocked);
        Assert.Empty(errors);
        int drawn = await page.Locator(".cn-chart:has(svg.main-svg)").CountAsync();
        Assert.Equal(charts, drawn);

        int formulas = await page.Locator(".cn-math").CountAsync();
        int rendered = await page.Locator(".cn-math math").CountAsync();
        Assert.True(formulas > 0, $"{report} has no formula");
        Assert.Equal(formulas, rendered);
        Assert.Equal(0, await page.Locator(".katex-error").CountAsync());
        string text = await page.InnerTextAsync("body");
        Assert.DoesNotContain("$$", text);
        Assert.DoesNotContain("\\frac", text);
    }

    [Fact]
    public void Every_report_has_charts()
    {
        foreach (string prefix in WorkbookRun.Notebooks.Select(n => n[..3]))
        {
            string report = Directory.GetFiles(Path.Combine(_run.Output, "reports"), prefix + "*.html").Single();
            Assert.Contains("class=\"cn-chart\"", File.ReadAllText(report));
        }
    }

    [Fact]
    public async Task Audio_players_of_exercise_2_load_offline()
    {
        string report = Directory.GetFiles(Path.Combine(_run.Output, "reports"), "02-*.html").Single();
        var blocked = new List<string>();
        await using IBrowserContext context = await browser.Instance.NewContextAsync();
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith("file:", StringComparison.Ordinal) || route.Request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
                return;
            }
            blocked.Add(route.Request.Url);
            await route.AbortAsync();
        });
        IPage page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(report).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });

        // Each player's WAV data URI must decode to metadata: readyState HAVE_METADATA (1) or more and a duration.
        // A player that errors reports its MediaError code as a negative state; one that never loads, -99.
        double[][] players = await page.EvaluateAsync<double[][]>("""
            () => Promise.all([...document.querySelectorAll('audio.cn-audio')].map(audio => new Promise(resolve => {
              const done = () => resolve([audio.readyState, audio.duration]);
              audio.addEventListener('loadedmetadata', done, { once: true });
              audio.addEventListener('error', () => resolve([-(audio.error ? audio.error.code : 1), 0]), { once: true });
              setTimeout(() => resolve([-99, 0]), 15000);
              if (audio.readyState >= 1) done();
            })))
            """);

        Assert.True(players.Length >= 3, $"the report of exercise 2 should have the input, aliased and anti-aliased players, but has {players.Length}");
        for (int i = 0; i < players.Length; i++)
        {
            Assert.True(players[i][0] >= 1, $"player {i} did not load its metadata: state {players[i][0]}");
            // Short clips keep the reports small.
            Assert.InRange(players[i][1], 0.1, 3.0);
        }
        Assert.Empty(blocked);
    }

    [Fact]
    public async Task Index_links_every_report()
    {
        IPage page = await browser.Instance.NewPageAsync();
        await page.GotoAsync(new Uri(Path.Combine(_run.Output, "reports", "index.html")).AbsoluteUri);

        var links = await page.Locator("a[href$='.html']").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        foreach (string notebook in WorkbookRun.Notebooks)
        {
            Assert.Contains(links, href => href.EndsWith(Path.ChangeExtension(notebook, ".html"), StringComparison.Ordinal));
        }
        await page.CloseAsync();
    }
}
