using System.Net;
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
/// replaced by HTML rendered beforehand, so that the report needs no script to typeset it.
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

    /// <summary>Writes the HTML of parsed markdown, each formula as the HTML given for its node.</summary>
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
        return writer.ToString();
    }

    private sealed class Formulas(IReadOnlyDictionary<MarkdownObject, string> html)
    {
        public string For(MarkdownObject node, string tex) =>
            html.TryGetValue(node, out string? rendered) ? rendered : $"<code>{WebUtility.HtmlEncode(tex)}</code>";
    }

    private sealed class InlineFormulaRenderer(Formulas formulas) : HtmlObjectRenderer<MathInline>
    {
        protected override void Write(HtmlRenderer renderer, MathInline obj)
        {
            string css = obj.DelimiterCount >= 2 ? "cn-math cn-math-display" : "cn-math";
            renderer.Write($"<span class=\"{css}\">").Write(formulas.For(obj, obj.Content.ToString())).Write("</span>");
        }
    }

    private sealed class BlockFormulaRenderer(Formulas formulas) : HtmlObjectRenderer<MathBlock>
    {
        protected override void Write(HtmlRenderer renderer, MathBlock obj)
        {
            renderer.EnsureLine();
            renderer.Write("<div class=\"cn-math cn-math-display\">").Write(formulas.For(obj, obj.Lines.ToString())).WriteLine("</div>");
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
            renderer.Write("<div class=\"cn-math cn-math-display\">").Write(formulas.For(math, math.Content.ToString())).WriteLine("</div>");
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
