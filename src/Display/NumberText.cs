using System.Globalization;

namespace Conv.Notebook.Display;

/// <summary>
/// Numbers as the tables and charts print them: invariant culture, and never "-0": a negative zero, or a
/// small negative value that the format rounds to zero, prints without its sign.
/// </summary>
internal static class NumberText
{
    /// <summary>The value in a .NET numeric format string, without the sign of a zero result.</summary>
    /// <example><code>NumberText.Format(-0.00001, "0.####") // "0"</code></example>
    public static string Format(double value, string format)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        return Unsigned(value.ToString(format, CultureInfo.InvariantCulture));
    }

    /// <summary>The value in a .NET numeric format string, without the sign of a zero result.</summary>
    /// <example><code>NumberText.Format(-0f, "0") // "0"</code></example>
    public static string Format(float value, string format)
    {
        if (float.IsNaN(value)) return "nan";
        if (float.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        return Unsigned(value.ToString(format, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The value in few characters, for a heatmap cell among others of magnitude up to <paramref name="scale"/>:
    /// integers as integers; other values with the decimals that give the scale <paramref name="digits"/>
    /// significant digits, trailing zeros dropped (so values far below the scale print as 0); e-notation with
    /// that many digits when the scale is below 0.001 or from 100 000 up.
    /// </summary>
    /// <example><code>NumberText.Compact(0.34567, 1.3) // "0.35"; NumberText.Compact(-0.0004, 1.3) // "0"</code></example>
    public static string Compact(double value, double scale, int digits = 3)
    {
        if (!double.IsFinite(value)) return Format(value, "0");
        if (value == Math.Round(value) && Math.Abs(value) < 1e6) return Format(value, "0");
        scale = Math.Max(scale, Math.Abs(value));
        if (scale >= 1e5 || scale < 1e-3) return Format(value, "0." + new string('#', digits - 1) + "e0");
        int decimals = Math.Max(0, digits - 1 - (int)Math.Floor(Math.Log10(scale)));
        return Format(value, decimals == 0 ? "0" : "0." + new string('#', decimals));
    }

    /// <summary>The text without a leading minus when the rest of it is a zero, such as "-0", "-0.00" or "-0.0e0".</summary>
    private static string Unsigned(string text) =>
        text.StartsWith('-') && double.TryParse(text.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out double rest) && rest == 0
            ? text[1..]
            : text;
}
