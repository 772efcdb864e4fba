using System.Text;
using System.Text.RegularExpressions;

namespace Conv.Notebook.Workbook;

/// <summary>
/// KaTeX's stylesheet for one report, with the fonts its formulas use inlined as base64 WOFF2. KaTeX's HTML
/// draws every glyph in one of its own twenty font faces (about 260 kB of WOFF2 in all); a report carries only the
/// faces its formulas can reach, found from the stylesheet's own rules and the class names in the formulas' HTML.
/// </summary>
/// <example>
/// <code>
/// var styles = KatexStyles.Load("render/node_modules/katex/dist");
/// string css = styles.For(["&lt;span class=\"mord mathnormal\"&gt;n&lt;/span&gt;"]);
/// </code>
/// </example>
internal sealed partial class KatexStyles
{
    /// <summary>A face of KaTeX's fonts: its <c>@font-face</c> rule with the font inlined.</summary>
    private sealed record Face(string Family, string Style, string Weight, string Rule);

    /// <summary>A rule that sets a font: the classes each compound of its selector needs, and what it sets.</summary>
    private sealed record FontRule(string[][] Compounds, string[] Families, string? Style, string? Weight);

    private readonly string _rules;
    private readonly Face[] _faces;
    private readonly FontRule[] _fontRules;

    private KatexStyles(string rules, Face[] faces, FontRule[] fontRules)
    {
        _rules = rules;
        _faces = faces;
        _fontRules = fontRules;
    }

    /// <summary>Reads <c>katex.min.css</c> and the WOFF2 fonts beside it.</summary>
    /// <param name="dist">KaTeX's <c>dist</c> folder.</param>
    /// <returns>The styles.</returns>
    /// <exception cref="SetUpException">The stylesheet or a font it names is missing.</exception>
    public static KatexStyles Load(string dist)
    {
        string cssPath = Path.Combine(dist, "katex.min.css");
        if (!File.Exists(cssPath)) throw new SetUpException($"{cssPath} is missing; run 'npm ci' in the renderer's folder.");
        string css = File.ReadAllText(cssPath);

        var faces = new List<Face>();
        foreach (Match face in FontFace().Matches(css))
        {
            string body = face.Groups["body"].Value;
            string family = Declared(body, "font-family")?.Trim('"') ?? "";
            Match woff2 = Woff2Url().Match(body);
            string font = Path.Combine(dist, woff2.Groups["path"].Value);
            if (!woff2.Success || !File.Exists(font)) throw new SetUpException($"KaTeX's font for {family} is missing ({font}).");
            // WOFF2 only: every current browser reads it, and the WOFF and TTF copies are three times its size together.
            string data = "url(data:font/woff2;base64," + Convert.ToBase64String(File.ReadAllBytes(font)) + ") format(\"woff2\")";
            string rule = "@font-face{" + SourceList().Replace(body, "src:" + data) + "}";
            faces.Add(new Face(family, Style(Declared(body, "font-style")) ?? "normal", Weight(Declared(body, "font-weight")) ?? "400", rule));
        }

        string rules = FontFace().Replace(css, "");
        var fontRules = new List<FontRule>();
        foreach (Match rule in StyleRule().Matches(rules))
        {
            string body = rule.Groups["body"].Value;
            string[] families = KatexFamily().Matches(body).Select(m => m.Value).Distinct().ToArray();
            string? style = Style(Declared(body, "font-style"));
            string? weight = Weight(Declared(body, "font-weight"));
            if (families.Length == 0 && style is null && weight is null) continue;
            foreach (string selector in rule.Groups["selectors"].Value.Split(','))
            {
                // A class under :not() is one an element must lack, not one it needs.
                string[][] compounds = Combinator().Split(PseudoClass().Replace(selector, "").Trim())
                    .Select(c => ClassName().Matches(c).Select(m => m.Groups["name"].Value).ToArray())
                    .Where(c => c.Length > 0)
                    .ToArray();
                fontRules.Add(new FontRule(compounds, families, style, weight));
            }
        }
        return new KatexStyles(rules, faces.ToArray(), fontRules.ToArray());
    }

    /// <summary>The stylesheet for a report whose formulas are <paramref name="formulas"/>, with the faces they use.</summary>
    /// <param name="formulas">The rendered HTML of every formula in the report.</param>
    /// <returns>KaTeX's rules, preceded by the <c>@font-face</c> rules of the faces the formulas can reach.</returns>
    /// <remarks>
    /// A rule counts when every compound of its selector (<c>.delimsizing.size3</c>, <c>.mult</c>) matches some element's
    /// classes. Its families, styles and weights join those reached; every face of a reached family in a reached style and
    /// weight is kept. Crossing them can keep a face no glyph uses (the upright weight of an italic-only use), never misses
    /// one that a class sets or that an element inherits.
    /// </remarks>
    public string For(IEnumerable<string> formulas)
    {
        var elements = new List<HashSet<string>>();
        foreach (string html in formulas)
        {
            elements.AddRange(ClassAttribute().Matches(html)
                .Select(m => m.Groups["classes"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet()));
        }
        var families = new HashSet<string>();
        var styles = new HashSet<string> { "normal" };
        var weights = new HashSet<string> { "400" };
        foreach (FontRule rule in _fontRules.Where(r => r.Compounds.All(c => elements.Any(e => c.All(e.Contains)))))
        {
            families.UnionWith(rule.Families);
            if (rule.Style is not null) styles.Add(rule.Style);
            if (rule.Weight is not null) weights.Add(rule.Weight);
        }
        var css = new StringBuilder();
        foreach (Face face in _faces.Where(f => families.Contains(f.Family) && styles.Contains(f.Style) && weights.Contains(f.Weight)))
        {
            css.Append(face.Rule).Append('\n');
        }
        return css.Append(_rules).ToString();
    }

    private static string? Declared(string body, string property) =>
        Declaration().Matches(body).FirstOrDefault(m => m.Groups["property"].Value == property)?.Groups["value"].Value.Trim();

    private static string? Style(string? value) => value switch
    {
        null => null,
        "italic" or "oblique" => "italic",
        _ => "normal",
    };

    private static string? Weight(string? value) => value switch
    {
        null => null,
        "bold" or "700" => "700",
        _ => "400",
    };

    [GeneratedRegex(@"(?<property>[\w-]+)\s*:(?<value>[^;]*)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"@font-face\{(?<body>[^}]*)\}")]
    private static partial Regex FontFace();

    [GeneratedRegex(@"url\((?<path>[^)]*\.woff2)\)\s*format\(""woff2""\)")]
    private static partial Regex Woff2Url();

    [GeneratedRegex(@"src:[^;}]*")]
    private static partial Regex SourceList();

    [GeneratedRegex(@"(?<selectors>[^{}@]+)\{(?<body>[^{}]*)\}")]
    private static partial Regex StyleRule();

    [GeneratedRegex(@"\bKaTeX_\w+")]
    private static partial Regex KatexFamily();

    [GeneratedRegex(@"\s*[\s>+~]\s*")]
    private static partial Regex Combinator();

    [GeneratedRegex(@"::?[\w-]+(?:\([^)]*\))?")]
    private static partial Regex PseudoClass();

    [GeneratedRegex(@"\.(?<name>[\w-]+)")]
    private static partial Regex ClassName();

    [GeneratedRegex(@"\bclass=""(?<classes>[^""]*)""")]
    private static partial Regex ClassAttribute();
}
