using System.Text.Json;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="LeastSquares"/>: the minimum-norm weights against numpy.linalg.lstsq
/// (<c>tests/fixtures/statistics_reference.json</c>) for more rows than columns, fewer, and a repeated column; an exact
/// fit whenever there are no more examples than independent features; the relative error; bad input.
/// </summary>
public sealed class LeastSquaresTests
{
    [Theory]
    [InlineData("least_squares_tall")]
    [InlineData("least_squares_wide")]
    [InlineData("least_squares_rank_deficient")]
    public void Fit_matches_numpy_lstsq(string name)
    {
        JsonElement c = StatisticsFixture.Get(name);
        double[][] rows = c.GetProperty("features").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        double[] expected = StatisticsFixture.Doubles(c, "weights");

        double[] weights = LeastSquares.Fit(rows, StatisticsFixture.Doubles(c, "targets"));

        Assert.Equal(expected.Length, weights.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], weights[i], 10);
    }

    [Fact]
    public void Fewer_examples_than_features_are_fitted_exactly_whatever_the_targets()
    {
        // 20 examples of 50 random features: any targets, here random ones, are reproduced exactly.
        float[] x = Tensor.Randn(3, 20, 50).ToArray();
        double[][] rows = Enumerable.Range(0, 20).Select(r => x[(r * 50)..(r * 50 + 50)].Select(v => (double)v).ToArray()).ToArray();
        double[] targets = NaturalSignals.White(20, seed: 4);

        double[] weights = LeastSquares.Fit(rows, targets);

        Assert.True(LeastSquares.RelativeError(rows, targets, weights) < 1e-12);
    }

    [Fact]
    public void More_examples_leave_a_residual_orthogonal_to_every_feature()
    {
        float[] x = Tensor.Randn(5, 40, 6).ToArray();
        double[][] rows = Enumerable.Range(0, 40).Select(r => x[(r * 6)..(r * 6 + 6)].Select(v => (double)v).ToArray()).ToArray();
        double[] targets = NaturalSignals.White(40, seed: 6);

        double[] w = LeastSquares.Fit(rows, targets);

        double[] residual = rows.Select((row, r) => row.Zip(w, (a, b) => a * b).Sum() - targets[r]).ToArray();
        for (int c = 0; c < 6; c++) Assert.Equal(0, rows.Select((row, r) => row[c] * residual[r]).Sum(), 10);
        Assert.InRange(LeastSquares.RelativeError(rows, targets, w), 0.5, 1);
    }

    [Fact]
    public void Relative_error_is_the_residual_norm_over_the_target_norm()
    {
        // Predictions [1, 2] against targets [1, 4]: ‖(0, −2)‖ / ‖(1, 4)‖ = 2 / √17.
        Assert.Equal(2 / Math.Sqrt(17), LeastSquares.RelativeError([[1.0], [2.0]], [1.0, 4.0], [1.0]), 12);
        Assert.Equal(1, LeastSquares.RelativeError([[1.0], [2.0]], [1.0, 4.0], [0.0]), 12);
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        double[][] rows = [[1.0, 2], [3, 4]];
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => LeastSquares.Fit([], [])).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => LeastSquares.Fit([[1.0, 2], [3]], [1.0, 2])).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => LeastSquares.Fit([[1.0, double.NaN]], [1.0])).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => LeastSquares.Fit([System.Array.Empty<double>()], [1.0])).ParamName);
        var count = Assert.Throws<ArgumentException>(() => LeastSquares.Fit(rows, [1.0]));
        Assert.Equal("targets", count.ParamName);
        Assert.Contains("one target per row of features (2), but targets has 1", count.Message);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => LeastSquares.Fit(rows, [1.0, double.PositiveInfinity])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => LeastSquares.RelativeError(rows, [1.0, 2], [1.0])).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => LeastSquares.RelativeError(rows, [0.0, 0], [1.0, 1])).ParamName);
        Assert.Throws<ArgumentNullException>(() => LeastSquares.Fit(null!, [1.0]));
        Assert.Throws<ArgumentNullException>(() => LeastSquares.RelativeError(rows, [1.0, 2], null!));
    }
}
