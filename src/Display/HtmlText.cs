using System.Security.Cryptography;

namespace Conv.Notebook.Display;

/// <summary>
/// What every piece of the helper's HTML with a script needs: an element id of its own, and data that is safe to
/// put inside a script element.
/// </summary>
/// <example><code>string id = HtmlText.NewId("cn-chart-"); string data = HtmlText.InScript(json);</code></example>
internal static class HtmlText
{
    /// <summary>A new element id, <paramref name="prefix"/> and 12 random hex digits, so that two outputs on one page
    /// (or of two kernel sessions in one notebook) never share one.</summary>
    /// <example><code>HtmlText.NewId("cn-anim-") // "cn-anim-3fa2c41b09de"</code></example>
    public static string NewId(string prefix) =>
        prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();

    /// <summary>JSON for the inside of a script element.</summary>
    /// <example><code>HtmlText.InScript("[\"&lt;/script>\"]") // ["\u003c/script>"]</code></example>
    public static string InScript(string json) =>
        // Any "<" could end the script element early ("</script>") or make the parser skip its end ("<!--<script");
        // as \u003c it is the same character to JavaScript and nothing to the HTML parser.
        json.Replace("<", "\\u003c", StringComparison.Ordinal);
}
