using System.Net;
using Ganss.Xss;
using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Conv.Notebook.Workbook;

/// <summary>A parsed markdown cell and the formulas in it, which must be rendered before the cell's HTML is written.</summary>
/// <param name="Document">Markdig's syntax tree.</param>
/// <param name="Formulas">Each formula's node in the tree and its TeX, in reading order.</param>
internal sealed record ParsedMarkdown(MarkdownDocument Document, IReadOnlyList<(MarkdownObject Node, MathItem Item)> Formulas);

/// <summary>
/// Markdown to HTML with Markdig (advanced extensions, <c>$…$</c> and <c>$$…$$</c> math), with each formula
/// replaced by HTML rendered beforehand, so that the report needs no script to typeset it. Raw HTML in the markdown is
/// sanitised (scripts, event handlers, <c>javascript:</c> links and classes dropped), so that a notebook from elsewhere
/// cannot run code when its report opens; the formulas, rendered by KaTeX from their TeX, go in after it unchanged.
/// </summary>
/// <remarks>
/// A formula becomes <c>span.cn-math</c> inline and <c>div.cn-math.cn-math-display</c> on its own;
/// <c>$$…$$</c> inside a line of text becomes <c>span.cn-math.cn-math-display</c>, shown as a block.
/// </remarks>
internal static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .UseMathematics()
        .Build();

    // Its defaults allow the elements and attributes of ordinary formatted text and no class, so that a cell cannot pass
    // its HTML off as the report's own (a failure banner, a chart); ids are kept for the headings' anchors. Configured
    // once here, it is safe to share between threads.
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedAttributes.Add("id");
        return sanitizer;
    }

    /// <summary>Parses markdown and finds its formulas.</summary>
    /// <param name="markdown">The markdown source.</param>
    /// <returns>The tree and its formulas.</returns>
    public static ParsedMarkdown Parse(string markdown)
    {
        MarkdownDocument document = Markdown.Parse(markdown, Pipeline);
        var formulas = new List<(MarkdownObject, MathItem)>();
        foreach (MarkdownObject node in document.Descendants())
        {
            switch (node)
            {
                case MathInline inline:
                    formulas.Add((inline, new MathItem(inline.Content.ToString(), inline.DelimiterCount >= 2)));
                    break;
                case MathBlock block:
                    formulas.Add((block, new MathItem(block.Lines.ToString().Trim(), true)));
                    break;
            }
        }
        return new ParsedMarkdown(document, formulas);
    }

    /// <summary>Writes the sanitised HTML of parsed markdown, each formula as the HTML given for its node.</summary>
    /// <param name="markdown">The parsed markdown.</param>
    /// <param name="formulaHtml">The rendered HTML of each formula node; a missing one shows its TeX.</param>
    /// <returns>The HTML.</returns>
    public static string ToHtml(ParsedMarkdown markdown, IReadOnlyDictionary<MarkdownObject, string> formulaHtml)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        var formulas = new Formulas(formulaHtml);
        renderer.ObjectRenderers.Replace<HtmlMathInlineRenderer>(new InlineFormulaRenderer(formulas));
        renderer.ObjectRenderers.Replace<HtmlMathBlockRenderer>(new BlockFormulaRenderer(formulas));
        renderer.ObjectRenderers.Replace<ParagraphRenderer>(new FormulaParagraphRenderer(formulas));
        renderer.Render(markdown.Document);
        writer.Flush();
        string html = Sanitizer.Sanitize(writer.ToString());
        foreach ((string placeholder, string element) in formulas.Elements) html = html.Replace(placeholder, element, StringComparison.Ordinal);
        return html;
    }

    // Each formula is written as a placeholder of letters and digits, which the sanitiser leaves as it is, and its element
    // replaces the placeholder afterwards. The random part keeps the markdown's own text from matching one.
    private sealed class Formulas(IReadOnlyDictionary<MarkdownObject, string> html)
    {
        private readonly string _nonce = Guid.NewGuid().ToString("N");

        public Dictionary<string, string> Elements { get; } = [];

        public string Placeholder(string tag, string css, MarkdownObject node, string tex)
        {
            string inner = html.TryGetValue(node, out string? rendered) ? rendered : $"<code>{WebUtility.HtmlEncode(tex)}</code>";
            string placeholder = $"cnformula{_nonce}x{Elements.Count}x";
            Elements[placeholder] = $"<{tag} class=\"{css}\">{inner}</{tag}>";
            return placeholder;
        }
    }

    private sealed class InlineFormulaRenderer(Formulas formulas) : HtmlObjectRenderer<MathInline>
    {
        protected override void Write(HtmlRenderer renderer, MathInline obj)
        {
            string css = obj.DelimiterCount >= 2 ? "cn-math cn-math-display" : "cn-math";
            renderer.Write(formulas.Placeholder("span", css, obj, obj.Content.ToString()));
        }
    }

    private sealed class BlockFormulaRenderer(Formulas formulas) : HtmlObjectRenderer<MathBlock>
    {
        protected override void Write(HtmlRenderer renderer, MathBlock obj)
        {
            renderer.EnsureLine();
            renderer.WriteLine(formulas.Placeholder("div", "cn-math cn-math-display", obj, obj.Lines.ToString()));
        }
    }

    // A paragraph that is nothing but one $$…$$ is a display formula: a div, not a div inside a p.
    private sealed class FormulaParagraphRenderer(Formulas formulas) : ParagraphRenderer
    {
        protected override void Write(HtmlRenderer renderer, ParagraphBlock obj)
        {
            if (LoneDisplayFormula(obj) is not { } math)
            {
                base.Write(renderer, obj);
                return;
            }
            renderer.EnsureLine();
            renderer.WriteLine(formulas.Placeholder("div", "cn-math cn-math-display", math, math.Content.ToString()));
        }

        private static MathInline? LoneDisplayFormula(ParagraphBlock paragraph)
        {
            if (paragraph.Inline is null) return null;
            MathInline? found = null;
            foreach (Inline inline in paragraph.Inline)
            {
                switch (inline)
                {
                    case MathInline { DelimiterCount: >= 2 } math when found is null:
                        found = math;
                        break;
                    case LiteralInline literal when literal.Content.IsEmptyOrWhitespace():
                    case LineBreakInline:
                        break;
                    default:
                        return null;
                }
            }
            return found;
        }
    }
}
