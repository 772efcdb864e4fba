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
    public void Reports_of_exercises_1_and_3_have_charts()
    {
        foreach (string prefix in new[] { "01-", "03-" })
        {
            string report = Directory.GetFiles(Path.Combine(_run.Output, "reports"), prefix + "*.html").Single();
            Assert.Contains("class=\"cn-chart\"", File.ReadAllText(report));
        }
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
