using Conv.Notebook.Display;

namespace Conv.Notebook.Tests;

/// <summary>NumberText: invariant numbers without "-0", and the compact cell text of the heatmaps.</summary>
public sealed class NumberTextTests
{
    [Theory]
    [InlineData(-0.0, "0.####", "0")]
    [InlineData(-0.00001, "0.####", "0")]
    [InlineData(-0.00001, "0.00", "0.00")]
    [InlineData(-0.0, "0.0e0", "0.0e0")]
    [InlineData(-0.00005, "0.####", "-0.0001")]
    [InlineData(-1.5, "0.##", "-1.5")]
    [InlineData(1234.5678, "0.##", "1234.57")]
    [InlineData(double.NaN, "0", "nan")]
    [InlineData(double.NegativeInfinity, "0", "-inf")]
    public void Format_drops_the_sign_of_a_zero_result(double value, string format, string expected)
    {
        Assert.Equal(expected, NumberText.Format(value, format));
    }

    [Theory]
    [InlineData(7.0, 10.0, 3, "7")]
    [InlineData(-3.0, 10.0, 3, "-3")]
    [InlineData(0.34567, 1.3, 3, "0.35")]
    [InlineData(0.34567, 0.5, 3, "0.346")]
    [InlineData(0.34567, 0.5, 2, "0.35")]
    [InlineData(12.345, 12.345, 3, "12.3")]
    [InlineData(12.345, 12.345, 2, "12")]
    [InlineData(0.5, 1.3, 3, "0.5")]
    [InlineData(-0.0004, 1.3, 3, "0")]
    [InlineData(-0.004, 1.3, 3, "0")]
    [InlineData(-0.006, 1.3, 3, "-0.01")]
    [InlineData(-1e-7, 4e-7, 3, "-1e-7")]
    [InlineData(123456.7, 123456.7, 3, "1.23e5")]
    [InlineData(1234.5, 1234.5, 3, "1235")]
    public void Compact_gives_the_scale_its_significant_digits(double value, double scale, int digits, string expected)
    {
        Assert.Equal(expected, NumberText.Compact(value, scale, digits));
    }

    [Theory]
    [InlineData(-0f, "0", "0")]
    [InlineData(-0.00001f, "0.00", "0.00")]
    [InlineData(0.1f, "R", "0.1")]
    [InlineData(-0.1f, "G4", "-0.1")]
    public void Format_of_a_float_keeps_the_float_digits(float value, string format, string expected)
    {
        Assert.Equal(expected, NumberText.Format(value, format));
    }
}
