using System.Net;
using Conv.Notebook.Display;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="Claim"/>: a true claim returns its statement as (encoded) HTML, a false one throws
/// <see cref="ClaimFailedException"/> with what was expected and what came.
/// </summary>
public sealed class ClaimTests
{
    private const string Markup = "x <b>bold</b> & y";

    private static void ShowsEncoded(HtmlView view, string text)
    {
        Assert.Contains(WebUtility.HtmlEncode(text), view.Html, StringComparison.Ordinal);
        Assert.Equal(view.Html, view.ToString());
        Assert.Contains("cn-claim", view.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void That_true_returns_the_statement_encoded()
    {
        HtmlView view = Claim.That(true, Markup);
        ShowsEncoded(view, Markup);
        Assert.DoesNotContain("<b>", view.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void That_false_throws_with_the_statement()
    {
        var ex = Assert.Throws<ClaimFailedException>(() => Claim.That(false, "rows 6 and 7 are never read"));
        Assert.Contains("rows 6 and 7 are never read", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_scalars_pass_and_show_the_value()
    {
        HtmlView view = Claim.Equal(2, 1 + 1, "the <output> height");
        ShowsEncoded(view, "the <output> height");
        Assert.Contains("2", view.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<output>", view.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_numbers_show_a_zero_without_sign_and_floats_in_their_own_digits()
    {
        Assert.Contains("the offset = 0<", Claim.Equal(0.0, -0.0, "the offset").Html, StringComparison.Ordinal);
        Assert.Contains("the scale = 0.1<", Claim.Equal(0.1f, 0.1f, "the scale").Html, StringComparison.Ordinal);
        Assert.Contains("the gains = [0, -1.5]<", Claim.Equal(new[] { -0.0, -1.5 }, new[] { -0.0, -1.5 }, "the gains").Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_scalars_that_differ_name_expected_and_actual()
    {
        var ex = Assert.Throws<ClaimFailedException>(() => Claim.Equal(2, 3, "the output height"));
        Assert.Contains("the output height", ex.Message, StringComparison.Ordinal);
        Assert.Contains("should be 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("it is 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_sequences_are_compared_element_by_element()
    {
        // Two distinct arrays with the same elements: equal although not the same reference.
        HtmlView view = Claim.Equal(new[] { 1, 1, 2, 2 }, new[] { 1, 1, 2, 2 }, "the output shape");
        ShowsEncoded(view, "the output shape");
        Assert.Contains("[1, 1, 2, 2]", view.Html, StringComparison.Ordinal);

        var ex = Assert.Throws<ClaimFailedException>(() => Claim.Equal(new[] { 1, 1, 2, 2 }, new[] { 1, 1, 2, 3 }, "the output shape"));
        Assert.Contains("[1, 1, 2, 2]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 1, 2, 3]", ex.Message, StringComparison.Ordinal);

        Assert.Throws<ClaimFailedException>(() => Claim.Equal(new[] { 1, 2 }, new[] { 1, 2, 3 }, "a prefix is not equal"));
    }

    [Fact]
    public void Equal_strings_are_compared_as_strings()
    {
        Claim.Equal("abc", new string(['a', 'b', 'c']), "a word");
        var ex = Assert.Throws<ClaimFailedException>(() => Claim.Equal("abc", "abd", "a word"));
        Assert.Contains("abc", ex.Message, StringComparison.Ordinal);
        Assert.Contains("abd", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_with_null_reports_null()
    {
        var ex = Assert.Throws<ClaimFailedException>(() => Claim.Equal<string?>(null, "a", "a name"));
        Assert.Contains("null", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Close_passes_within_tolerance()
    {
        Tensor a = Tensor.FromArray([1f, 2f, 3f]);
        Tensor b = Tensor.FromArray([1f, 2f + 1e-6f, 3f]);
        HtmlView view = Claim.Close(a, b, "a <nearly> equal tensor");
        ShowsEncoded(view, "a <nearly> equal tensor");
        Assert.Contains("(3,)", view.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Close_fails_on_different_values()
    {
        Tensor a = Tensor.FromArray([1f, 2f, 3f]);
        Tensor b = Tensor.FromArray([1f, 2.1f, 3f]);
        var ex = Assert.Throws<ClaimFailedException>(() => Claim.Close(a, b, "zero insertion"));
        Assert.Contains("zero insertion", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Close_fails_on_different_shapes_and_names_both()
    {
        Tensor a = Tensor.Arange(4).Reshape(2, 2);
        Tensor b = Tensor.Arange(4);
        var ex = Assert.Throws<ClaimFailedException>(() => Claim.Close(a, b, "the reshape"));
        Assert.Contains("(2, 2)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(4,)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Close_fails_on_nan()
    {
        Tensor a = Tensor.FromArray([1f]);
        Tensor b = Tensor.FromArray([float.NaN]);
        Assert.Throws<ClaimFailedException>(() => Claim.Close(a, b, "nan is close to nothing"));
    }

    [Fact]
    public void Throws_passes_when_the_exception_comes_and_shows_its_message_encoded()
    {
        HtmlView view = Claim.Throws<InvalidOperationException>(() => throw new InvalidOperationException("bad <input>"), "it must <fail>");
        ShowsEncoded(view, "it must <fail>");
        Assert.Contains(nameof(InvalidOperationException), view.Html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode("bad <input>"), view.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<input>", view.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Throws_with_a_real_bad_input()
    {
        HtmlView view = Claim.Throws<ArgumentOutOfRangeException>(
            () => Padding.Pad(Tensor.FromArray([1f, 2f]), [2, 2], PaddingMode.Reflect), "reflect needs pad < size");
        ShowsEncoded(view, "reflect needs pad < size");
    }

    [Fact]
    public void Throws_fails_when_nothing_is_thrown()
    {
        var ex = Assert.Throws<ClaimFailedException>(() => Claim.Throws<ArgumentException>(() => { }, "an empty call fails"));
        Assert.Contains("an empty call fails", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ArgumentException), ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.InnerException);
    }

    [Fact]
    public void Throws_fails_on_another_exception_type_and_keeps_it()
    {
        var thrown = new InvalidOperationException("wrong kind");
        var ex = Assert.Throws<ClaimFailedException>(() => Claim.Throws<ArgumentException>(() => throw thrown, "it must reject its argument"));
        Assert.Contains("it must reject its argument", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ArgumentException), ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(InvalidOperationException), ex.Message, StringComparison.Ordinal);
        Assert.Contains("wrong kind", ex.Message, StringComparison.Ordinal);
        Assert.Same(thrown, ex.InnerException);
    }

    [Fact]
    public void Null_arguments_throw_argument_null()
    {
        Assert.Throws<ArgumentNullException>(() => Claim.That(true, null!));
        Assert.Throws<ArgumentNullException>(() => Claim.Equal(1, 1, null!));
        Assert.Throws<ArgumentNullException>(() => Claim.Close(null!, Tensor.Zeros(1), "x"));
        Assert.Throws<ArgumentNullException>(() => Claim.Close(Tensor.Zeros(1), null!, "x"));
        Assert.Throws<ArgumentNullException>(() => Claim.Throws<Exception>(null!, "x"));
    }

    /// <summary>
    /// A claim about measured time holds when three quarters of the rounds reach the threshold less the tolerance, fails
    /// when three quarters fall short, and is inconclusive (shown, not thrown) when the rounds lie on both sides.
    /// </summary>
    [Fact]
    public void A_timing_claim_holds_fails_or_is_inconclusive_by_its_rounds()
    {
        var fast = new TimingSamples([1, 1, 1, 1, 1, 1, 1, 1]);
        TimingRatio clear = TimingRatio.Of(new TimingSamples([3.9, 4.1, 4.0, 3.8, 4.2, 4.0, 3.95, 4.05]), fast);
        TimingRatio low = TimingRatio.Of(new TimingSamples([2.0, 2.1, 1.9, 2.2, 2.0, 1.8, 2.05, 1.95]), fast);
        TimingRatio spread = TimingRatio.Of(new TimingSamples([1.5, 4.5, 2.0, 5.0, 1.8, 4.0, 2.2, 4.8]), fast);

        HtmlView held = Claim.AtLeast(clear, 3.6, "stride 1's time ÷ stride 2's");
        Assert.Contains("✔", held.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("cn-inconclusive", held.Html, StringComparison.Ordinal);

        var failed = Assert.Throws<ClaimFailedException>(() => Claim.AtLeast(low, 3.6, "stride 1's time ÷ stride 2's"));
        Assert.Contains("≥ 3.6", failed.Message, StringComparison.Ordinal);

        HtmlView open = Claim.AtLeast(spread, 3, "stride 1's time ÷ stride 2's");
        Assert.Contains("cn-inconclusive", open.Html, StringComparison.Ordinal);
        Assert.Contains("Inconclusive", open.Html, StringComparison.Ordinal);

        // The tolerance lowers the bar: rounds of 3.8 to 4.2 do not reach 4.4, but do reach 4.4 less 15 %.
        Assert.Throws<ClaimFailedException>(() => Claim.AtLeast(clear, 4.4, "r", tolerance: 0));
        Assert.Contains("✔", Claim.AtLeast(clear, 4.4, "r", tolerance: 0.15).Html, StringComparison.Ordinal);
        Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => Claim.AtLeast(clear, 3, "r", tolerance: 1)).ParamName);
        Assert.Equal("atLeast", Assert.Throws<ArgumentOutOfRangeException>(() => Claim.AtLeast(clear, 0, "r")).ParamName);
    }
}
