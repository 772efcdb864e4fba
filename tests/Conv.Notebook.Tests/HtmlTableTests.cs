using System.Net;
using System.Text.RegularExpressions;
using Conv.Notebook.Display;

namespace Conv.Notebook.Tests;

/// <summary><see cref="HtmlTable.Render"/>: a header of property names, one row per record up to the cut, encoded cells.</summary>
public sealed partial class HtmlTableTests
{
    [GeneratedRegex("<th(?:\\s[^>]*)?>(.*?)</th>", RegexOptions.Singleline)]
    private static partial Regex HeaderRegex();

    [GeneratedRegex("<tbody>(.*?)</tbody>", RegexOptions.Singleline)]
    private static partial Regex BodyRegex();

    [GeneratedRegex("<tr>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex RowRegex();

    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex CellRegex();

    private static string[] Header(HtmlView view) =>
        HeaderRegex().Matches(view.Html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToArray();

    private static List<string[]> Rows(HtmlView view) =>
        RowRegex().Matches(BodyRegex().Match(view.Html).Groups[1].Value)
            .Select(r => CellRegex().Matches(r.Groups[1].Value).Select(c => WebUtility.HtmlDecode(c.Groups[1].Value)).ToArray())
            .ToList();

    public sealed record LayerRow(int Layer, string Name, double Scale);

    [Fact]
    public void The_header_is_the_property_names_and_each_record_is_a_row()
    {
        var rows = Enumerable.Range(1, 4).Select(i => new { Layer = i, Stride = i * 2, Name = $"conv{i}" }).ToArray();
        HtmlView view = HtmlTable.Render(rows);
        Assert.Equal(["Layer", "Stride", "Name"], Header(view));
        List<string[]> body = Rows(view);
        Assert.Equal(4, body.Count);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal([$"{i + 1}", $"{2 * (i + 1)}", $"conv{i + 1}"], body[i]);
        }
        Assert.DoesNotContain("not shown", view.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_type_shows_its_properties_and_not_its_equality_contract()
    {
        HtmlView view = HtmlTable.Render(new[] { new LayerRow(1, "stem", 0.5) });
        Assert.Equal(["Layer", "Name", "Scale"], Header(view));
        Assert.Equal(["1", "stem", "0.5"], Assert.Single(Rows(view)));
    }

    [Theory]
    [InlineData(10, 3, 3, "7 more rows not shown")]
    [InlineData(10, 9, 9, "1 more row not shown")]
    [InlineData(10, 10, 10, null)]
    [InlineData(10, 50, 10, null)]
    [InlineData(0, 5, 0, null)]
    public void Rows_beyond_max_rows_are_cut_with_a_note(int count, int maxRows, int shown, string? note)
    {
        HtmlView view = HtmlTable.Render(Enumerable.Range(0, count).Select(i => new { Index = i }), maxRows);
        List<string[]> body = Rows(view);
        Assert.Equal(shown, body.Count);
        Assert.Equal(Enumerable.Range(0, shown).Select(i => $"{i}"), body.Select(r => Assert.Single(r)));
        if (note is null) Assert.DoesNotContain("not shown", view.Html, StringComparison.Ordinal);
        else Assert.Contains(note, view.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Cells_are_html_encoded()
    {
        HtmlView view = HtmlTable.Render(new[] { new { Name = "<script>alert(1)</script> & \"x\"" } });
        Assert.DoesNotContain("<script>", view.Html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode("<script>alert(1)</script> & \"x\""), view.Html, StringComparison.Ordinal);
        Assert.Equal("<script>alert(1)</script> & \"x\"", Assert.Single(Assert.Single(Rows(view))));
    }

    [Fact]
    public void Values_are_formatted_invariantly()
    {
        HtmlView view = HtmlTable.Render(new[] { new { D = 1.234567, F = 2.5f, Big = 1234567L, Shape = new[] { 1, 64, 56, 56 }, Missing = (string?)null } });
        Assert.Equal(["1.2346", "2.5", "1234567", "1, 64, 56, 56", ""], Assert.Single(Rows(view)));
    }

    [Fact]
    public void Headers_name_the_columns_in_property_order()
    {
        var rows = new[] { new { Stride = 2, Ms = 0.25 }, new { Stride = 3, Ms = 0.5 } };
        HtmlView view = HtmlTable.Render(rows, headers: ["stride", "time a call (ms) & <more>"]);
        Assert.Equal(["stride", "time a call (ms) & <more>"], Header(view));
        Assert.Equal([["2", "0.25"], ["3", "0.5"]], Rows(view));
        Assert.DoesNotContain("<more>", view.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_wrong_number_of_headers_throws_naming_headers_and_both_counts(int count)
    {
        var rows = new[] { new { Stride = 2, Ms = 0.25 } };
        string[] headers = Enumerable.Range(0, count).Select(i => $"h{i}").ToArray();
        var ex = Assert.Throws<ArgumentException>(() => HtmlTable.Render(rows, headers: headers));
        Assert.Equal("headers", ex.ParamName);
        Assert.Contains("one header per column (2", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"headers has {count}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_never_prints_with_a_minus_sign()
    {
        HtmlView view = HtmlTable.Render(new[]
        {
            new { D = -0.0, Small = -0.00001, F = -0f, SmallF = -0.00004f, Kept = -0.0001, Many = new[] { -0.0, -1e-9, -1.5 } },
        });
        Assert.Equal(["0", "0", "0", "0", "-0.0001", "0, 0, -1.5"], Assert.Single(Rows(view)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Max_rows_below_one_throws_naming_it(int maxRows)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => HtmlTable.Render(new[] { new { A = 1 } }, maxRows));
        Assert.Equal("maxRows", ex.ParamName);
    }

    [Fact]
    public void Null_rows_throw()
    {
        Assert.Throws<ArgumentNullException>(() => HtmlTable.Render<int>(null!));
    }
}
