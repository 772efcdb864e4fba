using Conv.Notebook.Display;
using Microsoft.Playwright;

namespace Conv.Notebook.Tests;

/// <summary>
/// The animations in headless Chromium, offline: a page with one of each, where moving a slider must change the
/// drawn cells and the caption, the play button must advance the frames, and the script must raise no error.
/// </summary>
public sealed class AnimationBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static string Page()
    {
        Tensor image = Tensor.FromArray(new float[,] { { 1, 2, 3, 4 }, { 2, 6, 6, 3 }, { 3, 6, 6, 2 }, { 4, 3, 2, 1 } });
        HtmlView[] views =
        [
            ConvAnimation.Render(Tensor.Randn(0, 1, 1, 8, 8), Tensor.Randn(1, 1, 1, 3, 5), stride: (3, 4), padding: (0, 1)),
            TransposedAnimation.Render(image, Tensor.Full([3, 3], 1f), stride: (2, 2), padding: (1, 1), outputPadding: (1, 1)),
            MirrorPaddingMap.Render(Tensor.Arange(16).Reshape(4, 4), padding: 2),
        ];
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" +
               string.Concat(views.Select(v => v.Html)) + "</body></html>";
    }

    [Fact]
    public async Task Moving_the_slider_and_pressing_play_change_what_is_drawn()
    {
        Assert.True(File.Exists(ChromiumPath), $"The browser test needs Chromium at {ChromiumPath}.");
        string file = Path.Combine(Path.GetTempPath(), $"animations-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(file, Page());
        try
        {
            using IPlaywright playwright = await Playwright.CreateAsync();
            await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            });
            IPage page = await browser.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, error) => errors.Add(error);
            var requests = new List<string>();
            page.Request += (_, request) => { if (!request.Url.StartsWith("file:", StringComparison.Ordinal)) requests.Add(request.Url); };
            await page.GotoAsync(new Uri(file).AbsoluteUri);

            ILocator roots = page.Locator(".cn-anim");
            Assert.Equal(4, await roots.CountAsync());   // the transposed convolution has two: stamps and zero insertion
            for (int i = 0; i < 4; i++)
            {
                ILocator root = roots.Nth(i);
                Assert.Equal("0", await root.GetAttributeAsync("data-frame"));
                string before = await Drawn(root);
                string captionBefore = await root.Locator(".cn-a-caption").InnerTextAsync();
                string last = await root.Locator(".cn-a-slider").GetAttributeAsync("max") ?? "0";
                await root.Locator(".cn-a-slider").FillAsync(last);
                Assert.Equal(last, await root.GetAttributeAsync("data-frame"));
                Assert.NotEqual(before, await Drawn(root));
                Assert.NotEqual(captionBefore, await root.Locator(".cn-a-caption").InnerTextAsync());
                Assert.Contains($"{int.Parse(last) + 1} / {int.Parse(last) + 1}", await root.Locator(".cn-a-counter").InnerTextAsync());

                // Play from the end starts over and advances.
                await root.Locator(".cn-a-play").ClickAsync();
                await page.WaitForFunctionAsync("id => +document.getElementById(id).getAttribute('data-frame') >= 1",
                    await root.GetAttributeAsync("id"), new PageWaitForFunctionOptions { Timeout = 5000 });
                await root.Locator(".cn-a-play").ClickAsync();
            }

            // Hovering a padded cell of the mirror map goes to its frame.
            ILocator mirror = roots.Nth(3);
            await mirror.Locator("td[data-f='5']").First.HoverAsync();
            Assert.Equal("5", await mirror.GetAttributeAsync("data-frame"));
            Assert.Empty(errors);
            Assert.Empty(requests);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>What the cells show: each numbered cell's class, text and background.</summary>
    private static Task<string> Drawn(ILocator root) => root.EvaluateAsync<string>(
        "r => Array.from(r.querySelectorAll('[data-i]')).map(c => c.className + ':' + c.textContent + ':' + c.style.background).join('|')");
}
