using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Workbook.Tests;

/// <summary>
/// The HTML reports of the full run, opened in a real headless Chromium with every network request blocked:
/// they must work offline, draw every chart, render every formula and log no error. A screenshot of each is
/// saved with the test results.
/// </summary>
[Collection(FullRunCollection.Name)]
public sealed partial class ReportTests(FullRunFixture fixture, Browser browser) : IClassFixture<Browser>
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

        var errors = new List<string>();
        await using OfflineContext offline = await browser.OfflineContextAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } });
        var (context, blocked) = offline;
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
        // Seen as KaTeX's HTML, heard as its MathML: screen readers skip the HTML.
        Assert.Equal(formulas, await page.Locator(".cn-math .katex-html[aria-hidden='true']").CountAsync());
        Assert.Empty(await FacesMissing(page));
        string text = await page.InnerTextAsync("body");
        Assert.DoesNotContain("$$", text);
        Assert.DoesNotContain("\\frac", text);
    }

    /// <summary>
    /// Every <c>\left…\right</c> pair and every bracketed matrix of a report is drawn by KaTeX as a <c>.minner</c> whose
    /// brackets are as tall as what they enclose, in a browser that sees no math font (see <see cref="Browser"/>).
    /// </summary>
    [Theory]
    [MemberData(nameof(Reports))]
    public async Task Brackets_stretch_around_what_they_enclose(string report)
    {
        string path = Path.Combine(_run.Output, "reports", report);
        Assert.True(File.Exists(path), $"no report {report}:\n{_run.Console}");
        IPage page = await browser.Instance.NewPageAsync();
        await page.GotoAsync(new Uri(path).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });

        (int expected, Bracketed[] bracketed) = await Brackets(page);

        Assert.True(bracketed.Length >= expected,
            $"{report} has {expected} \\left or bracketed matrices in its formulas but KaTeX's HTML draws {bracketed.Length}");
        AssertStretched(report, bracketed);
        await page.CloseAsync();
    }

    /// <summary>
    /// The floor of notebook 1's output-size formula around its fraction and the brackets of three matrices, in a report of
    /// their own, stretch in a browser without a math font, and text in KaTeX's other faces draws with the faces the report
    /// inlines; the MathML floor beside them, which the browser stretches only with a math font, shows that it has none.
    /// </summary>
    [Fact]
    public async Task Floor_and_matrix_brackets_stretch_without_a_math_font()
    {
        using WorkbookRun run = TestNotebook.RunAlone("01-brackets.ipynb", """
            # Brackets

            $$\left\lfloor \frac{n - k + p + s}{s} \right\rfloor$$

            A matrix in a line of text, $\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}$, one in parentheses,
            $\begin{pmatrix} a \\ b \end{pmatrix}$, and a taller one:

            $$\begin{bmatrix} 4 & 3 & 4 & 3 \\ 2 & 1 & 2 & 1 \\ 4 & 3 & 4 & 3 \\ 2 & 1 & 2 & 1 \end{bmatrix}$$

            Other faces: $\mathbf{W} \boldsymbol{\theta} + \mathcal{L} + \mathbb{R} + \text{stride \textbf{two}, \textit{one}}$.
            """,
            "Console.WriteLine(\"brackets\");");
        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}:\n{run.Console}");
        IPage page = await browser.Instance.NewPageAsync();
        await page.GotoAsync(new Uri(Path.Combine(run.Output, "reports", "01-brackets.html")).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });

        (int expected, Bracketed[] bracketed) = await Brackets(page);
        double[] mathml = await page.EvaluateAsync<double[]>("""
            () => {
              const math = [...document.querySelectorAll('.cn-math math')].find(m => m.querySelector('mfrac'));
              return [math.querySelector('mo').getBoundingClientRect().height, math.querySelector('mfrac').getBoundingClientRect().height];
            }
            """);

        Assert.Equal(4, expected);
        Assert.Equal(expected, bracketed.Length);
        Bracketed floor = Assert.Single(bracketed, b => b.Tex.StartsWith("\\left\\lfloor", StringComparison.Ordinal));
        Assert.Equal(["⌊", "⌋"], floor.Delimiters);
        Assert.Equal(3, bracketed.Count(b => b.Tex.Contains("matrix}", StringComparison.Ordinal)));
        AssertStretched("the brackets' report", bracketed);
        Assert.Empty(await FacesMissing(page));
        Assert.True(mathml[0] < 0.9 * mathml[1],
            $"the browser stretched the MathML floor ({mathml[0]:F1} px around a {mathml[1]:F1} px fraction): it sees a math font, so this "
            + "test cannot show that the reports do without one");
        await page.CloseAsync();
    }

    /// <summary>
    /// The KaTeX font faces that the formulas of a page draw text in but that the page did not load: a face the report
    /// failed to inline shows as a fallback font, with brackets and symbols of the wrong size.
    /// </summary>
    private static async Task<string[]> FacesMissing(IPage page)
    {
        await page.EvaluateAsync("() => document.fonts.ready");
        return await page.EvaluateAsync<string[]>("""
            () => {
              const face = (family, style, weight) => `${family.replace(/["']/g, '').trim()} ${style} ${parseInt(weight) >= 600 ? 700 : 400}`;
              const loaded = new Set([...document.fonts].filter(f => f.status === 'loaded').map(f => face(f.family, f.style, f.weight)));
              const missing = new Set();
              for (const html of document.querySelectorAll('.katex-html')) {
                const texts = document.createTreeWalker(html, NodeFilter.SHOW_TEXT);
                for (let text = texts.nextNode(); text; text = texts.nextNode()) {
                  if (text.textContent.replace(/[\s\u200b]/g, '') === '') continue;
                  const style = getComputedStyle(text.parentElement);
                  const used = face(style.fontFamily.split(',')[0], style.fontStyle, style.fontWeight);
                  if (!loaded.has(used)) missing.add(`${used} (for "${text.textContent}")`);
                }
              }
              return [...missing];
            }
            """);
    }

    /// <summary>A <c>\left…\right</c> pair or a bracketed matrix as KaTeX drew it (filled in by Playwright from the page).</summary>
    private sealed class Bracketed
    {
        /// <summary>The formula it belongs to.</summary>
        public string Tex { get; set; } = "";

        /// <summary>Its brackets (a <c>\left.</c> has none on that side).</summary>
        public string[] Delimiters { get; set; } = [];

        /// <summary>How tall each bracket is drawn, in pixels.</summary>
        public double[] Heights { get; set; } = [];

        /// <summary>How tall what they enclose is drawn, in pixels.</summary>
        public double Enclosed { get; set; }
    }

    /// <summary>
    /// The <c>\left</c>s and bracketed matrices in a page's TeX sources, and what KaTeX's HTML drew for them. A bracket is
    /// as tall as its glyphs' boxes and SVG pieces reach (KaTeX draws a big one in a larger font, a very big one in stacked
    /// pieces); what it encloses is as tall as KaTeX's tallest box inside (the tables it lays fractions, matrices and
    /// scripts out in) or, for plain symbols, their glyphs' box.
    /// </summary>
    private static async Task<(int Expected, Bracketed[] Drawn)> Brackets(IPage page)
    {
        await page.EvaluateAsync("() => document.fonts.ready");
        IReadOnlyList<string> sources = await page.Locator(".cn-math annotation[encoding='application/x-tex']").AllTextContentsAsync();
        int expected = sources.Sum(tex => LeftOrMatrix().Count(tex));
        Bracketed[] drawn = await page.EvaluateAsync<Bracketed[]>("""
            () => {
              const glyphs = element => {
                const boxes = [...element.querySelectorAll('svg')].map(svg => svg.getBoundingClientRect());
                const texts = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
                for (let text = texts.nextNode(); text; text = texts.nextNode()) {
                  if (text.textContent.replace(/[\s\u200b]/g, '') === '') continue;
                  const range = document.createRange();
                  range.selectNodeContents(text);
                  boxes.push(range.getBoundingClientRect());
                }
                return boxes;
              };
              const reach = element => {
                const boxes = glyphs(element);
                return boxes.length === 0 ? 0 : Math.max(...boxes.map(b => b.bottom)) - Math.min(...boxes.map(b => b.top));
              };
              const tallest = element => Math.max(0,
                ...[...element.querySelectorAll('.vlist-t')].map(table => table.getBoundingClientRect().height),
                ...glyphs(element).map(b => b.height));
              const isDelimiter = child => child.classList.contains('mopen') || child.classList.contains('mclose');
              return [...document.querySelectorAll('.katex-html .minner')]
                .filter(inner => [...inner.children].some(isDelimiter))
                .map(inner => {
                  const children = [...inner.children];
                  const delimiters = children.filter(c => isDelimiter(c) && !c.classList.contains('nulldelimiter'));
                  return {
                    tex: inner.closest('.katex').querySelector('annotation').textContent,
                    delimiters: delimiters.map(d => d.textContent.replace(/\u200b/g, '') || '(stacked)'),
                    heights: delimiters.map(reach),
                    enclosed: Math.max(0, ...children.filter(c => !isDelimiter(c)).map(tallest)),
                  };
                });
            }
            """);
        return (expected, drawn);
    }

    /// <summary>
    /// TeX, and KaTeX after it, give a <c>\left</c> the smallest bracket that covers nine tenths of what it encloses
    /// (<c>\delimiterfactor</c> 901), so a bracket may be up to a tenth shorter than its content, but no more.
    /// </summary>
    private static void AssertStretched(string where, IEnumerable<Bracketed> bracketed)
    {
        foreach (Bracketed b in bracketed)
        {
            Assert.True(b.Enclosed > 0, $"{where}: nothing drawn inside the brackets of {b.Tex}");
            for (int i = 0; i < b.Delimiters.Length; i++)
            {
                Assert.True(b.Heights[i] >= 0.9 * b.Enclosed,
                    $"{where}: the bracket {b.Delimiters[i]} of {b.Tex} is {b.Heights[i]:F1} px tall around {b.Enclosed:F1} px");
            }
        }
    }

    /// <summary>A <c>\left</c>, or a matrix environment that brings its own brackets (<c>pmatrix</c>, <c>bmatrix</c>…).</summary>
    [GeneratedRegex(@"\\left(?![A-Za-z])|\\begin\{[pbBvV]matrix\*?\}")]
    private static partial Regex LeftOrMatrix();

    [Fact]
    public void Every_report_has_charts()
    {
        foreach (string prefix in WorkbookRun.Notebooks.Select(n => n[..3]))
        {
            string report = Directory.GetFiles(Path.Combine(_run.Output, "reports"), prefix + "*.html").Single();
            Assert.Contains("class=\"cn-chart\"", File.ReadAllText(report));
        }
    }

    /// <summary>
    /// The executed notebooks' first chart carries plotly.js for the notebook hosts; a report inlines it once in its
    /// head and drops that copy (its marker, from the library's licence header, appears once per copy).
    /// </summary>
    [Theory]
    [MemberData(nameof(Reports))]
    public void Report_carries_plotly_js_once(string report)
    {
        string executed = File.ReadAllText(Path.Combine(_run.Output, "notebooks", Path.ChangeExtension(report, ".ipynb")));
        Assert.Contains("cn-plotly-js", executed, StringComparison.Ordinal);
        string html = File.ReadAllText(Path.Combine(_run.Output, "reports", report));
        Assert.Equal(1, Regex.Count(html, @"plotly\.js v\d", RegexOptions.IgnoreCase));
        Assert.DoesNotContain("cn-plotly-js", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audio_players_of_exercise_2_load_offline()
    {
        string report = Directory.GetFiles(Path.Combine(_run.Output, "reports"), "02-*.html").Single();
        await using OfflineContext offline = await browser.OfflineContextAsync();
        var (context, blocked) = offline;
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
