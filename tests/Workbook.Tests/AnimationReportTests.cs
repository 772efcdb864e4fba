using Microsoft.Playwright;

namespace Workbook.Tests;

/// <summary>
/// The step-through animations in the reports of exercises 1, 3 and 6, offline in Chromium: each report holds at
/// least one, and stepping any of them with its slider changes what is drawn.
/// </summary>
[Collection(FullRunCollection.Name)]
public sealed class AnimationReportTests(FullRunFixture fixture, Browser browser) : IClassFixture<Browser>
{
    private readonly WorkbookRun _run = fixture.Run;

    [Theory]
    [InlineData("01-output-shape.html")]
    [InlineData("03-mirror-padding.html")]
    [InlineData("06-stride-one-half.html")]
    public async Task Every_animation_redraws_when_its_slider_moves(string report)
    {
        string path = Path.Combine(_run.Output, "reports", report);
        Assert.True(File.Exists(path), $"no report {report}:\n{_run.Console}");
        await using OfflineContext offline = await browser.OfflineContextAsync();
        var (context, blocked) = offline;
        IPage page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(path).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });

        ILocator animations = page.Locator(".cn-anim:has(.cn-a-slider)");
        int count = await animations.CountAsync();
        Assert.True(count > 0, $"{report} has no animation");
        for (int i = 0; i < count; i++)
        {
            ILocator root = animations.Nth(i);
            Assert.Equal("0", await root.GetAttributeAsync("data-frame"));
            string before = await Drawn(root);
            string last = await root.Locator(".cn-a-slider").GetAttributeAsync("max") ?? "0";
            Assert.NotEqual("0", last);
            await root.Locator(".cn-a-slider").FillAsync(last);
            Assert.Equal(last, await root.GetAttributeAsync("data-frame"));
            Assert.NotEqual(before, await Drawn(root));
        }
        Assert.Empty(blocked);
    }

    /// <summary>What the cells show: each numbered cell's class, text and background.</summary>
    private static Task<string> Drawn(ILocator root) => root.EvaluateAsync<string>(
        "r => Array.from(r.querySelectorAll('[data-i]')).map(c => c.className + ':' + c.textContent + ':' + c.style.background).join('|')");
}
