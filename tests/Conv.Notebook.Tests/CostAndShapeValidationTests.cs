using System.Numerics;

namespace Conv.Notebook.Tests;

/// <summary>
/// <see cref="ConvCost"/> and <see cref="ConvShape"/> allocate nothing, so they count layers of any size: they refuse
/// only what the convolution refuses (sizes below 1, a batch below 0, mismatched channels) and counts that 64 bits
/// (or an int, for one output size) cannot hold, naming the parameter at fault.
/// </summary>
public sealed class CostAndShapeValidationTests
{
    private const int Big = 1 << 21;

    [Theory]
    [InlineData(new[] { -1, 3, 8, 8 }, new[] { 4, 3, 3, 3 }, "inputShape")]
    [InlineData(new[] { 1, 0, 8, 8 }, new[] { 4, 0, 3, 3 }, "inputShape")]
    [InlineData(new[] { 1, 3, 0, 8 }, new[] { 4, 3, 3, 3 }, "inputShape")]
    [InlineData(new[] { 0, 8, 8 }, new[] { 4, 0, 3, 3 }, "inputShape")]
    [InlineData(new[] { 1, 3, 8, 8 }, new[] { 0, 3, 3, 3 }, "weightShape")]
    [InlineData(new[] { 1, 3, 8, 8 }, new[] { 4, 3, -3, 3 }, "weightShape")]
    [InlineData(new[] { 1, 3, 8, 8 }, new int[0], "weightShape")]
    [InlineData(new[] { 1, 3, 8, 8, 8 }, new[] { 4, 3, 3, 3 }, "inputShape")]
    public void Conv2d_refuses_sizes_the_convolution_refuses(int[] input, int[] weight, string param)
    {
        var e = Assert.Throws<ArgumentException>(() => ConvCost.Conv2d(input, weight, bias: true));
        Assert.Equal(param, e.ParamName);
        Assert.Contains(param, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conv1d_refuses_an_empty_weight_with_bias_and_negative_sizes()
    {
        Assert.Equal("weightShape", Assert.Throws<ArgumentException>(() => ConvCost.Conv1d([1, 2, 9], [], bias: true)).ParamName);
        Assert.Equal("inputShape", Assert.Throws<ArgumentException>(() => ConvCost.Conv1d([1, 2, -9], [3, 2, 3])).ParamName);
        Assert.Equal("stride", Assert.Throws<ArgumentOutOfRangeException>(() => ConvCost.Conv1d([1, 2, 9], [3, 2, 3], stride: 0)).ParamName);
        Assert.Equal("padding.W",
            Assert.Throws<ArgumentOutOfRangeException>(() => ConvCost.Conv2d([1, 2, 9, 9], [3, 2, 3, 3], padding: (0, -1))).ParamName);
    }

    [Fact]
    public void An_empty_batch_costs_nothing_and_its_intensity_is_a_number()
    {
        var cost = ConvCost.Conv2d([0, 3, 8, 8], [4, 3, 3, 3], padding: (1, 1), bias: true);

        Assert.Equal([0, 4, 8, 8], cost.OutputShape);
        Assert.Equal(0, cost.MultiplyAccumulates);
        Assert.Equal(0, cost.OutputElements);
        Assert.Equal(0, cost.InputBytes);
        Assert.Equal((4L * 3 * 3 * 3 + 4) * sizeof(float), cost.ParameterBytes);
        Assert.Equal(0.0, cost.ArithmeticIntensity);
        Assert.Equal([0, 5, 6], ConvCost.Conv1d([0, 2, 8], [5, 2, 3]).OutputShape);
    }

    [Fact]
    public void A_layer_too_large_for_memory_is_counted_exactly()
    {
        // 2^40 outputs: no array could hold them, but the count is what a 64-bit formula gives.
        var cost = ConvCost.Conv2d([1, 1, 1 << 20, 1 << 20], [3, 1, 3, 3], padding: (1, 1));

        Assert.Equal([1, 3, 1 << 20, 1 << 20], cost.OutputShape);
        Assert.Equal(3L << 40, cost.OutputElements);
        Assert.Equal((3L << 40) * 9, cost.MultiplyAccumulates);
        Assert.Equal((1L << 40) * sizeof(float), cost.InputBytes);
    }

    [Theory]
    [InlineData(new[] { Big, Big, Big, Big }, new[] { 1, Big, 1, 1 }, "inputShape")]
    [InlineData(new[] { 1, 1 << 20, 1 << 20, 1 << 20 }, new[] { 1 << 10, 1 << 20, 1, 1 }, "weightShape")]
    [InlineData(new[] { 1, 1, Big, Big }, new[] { Big, 1, Big, Big }, "weightShape")]
    [InlineData(new[] { Big, 1, Big, Big }, new[] { Big, 1, 1, 1 }, "inputShape")]
    public void Counts_beyond_64_bits_are_refused_by_name(int[] input, int[] weight, string param)
    {
        var e = Assert.Throws<ArgumentException>(() => ConvCost.Conv2d(input, weight));
        Assert.Equal(param, e.ParamName);
        Assert.Contains("64-bit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Counts_agree_with_unbounded_arithmetic_or_are_refused()
    {
        var random = new Random(20261206);
        int[] sizes = [1, 2, 3, 7, 64, 1 << 10, 1 << 16, Big, int.MaxValue / 3];
        int Size() => sizes[random.Next(sizes.Length)];
        int counted = 0, refused = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            int n = random.Next(3) == 0 ? 0 : Size(), c = Size(), h = Size(), w = Size(), outChannels = Size();
            int kh = Math.Min(Size(), h), kw = Math.Min(Size(), w), stride = random.Next(1, 4), padding = random.Next(3);
            int[] input = [n, c, h, w], weight = [outChannels, c, kh, kw];
            ConvCost cost;
            try
            {
                cost = ConvCost.Conv2d(input, weight, stride: (stride, stride), padding: (padding, padding), bias: true);
            }
            catch (ArgumentException e)
            {
                Assert.Contains(e.ParamName, new[] { "inputShape", "weightShape", "padding.H", "padding.W" });
                Assert.True(Overflows(input, weight, stride, padding), $"{Tensor.ShapeText(input)} by {Tensor.ShapeText(weight)}: {e.Message}");
                refused++;
                continue;
            }
            long outH = (h + 2L * padding - kh) / stride + 1, outW = (w + 2L * padding - kw) / stride + 1;
            BigInteger outputs = (BigInteger)n * outChannels * outH * outW;
            Assert.Equal(outputs, cost.OutputElements);
            Assert.Equal(outputs * c * kh * kw, cost.MultiplyAccumulates);
            Assert.Equal((BigInteger)n * c * h * w * 4, cost.InputBytes);
            Assert.Equal(((BigInteger)outChannels * c * kh * kw + outChannels) * 4, cost.ParameterBytes);
            Assert.False(double.IsNaN(cost.ArithmeticIntensity));
            Assert.False(Overflows(input, weight, stride, padding));
            counted++;
        }
        // Both kinds occur, so neither half of the test is empty.
        Assert.True(counted > 200 && refused > 200, $"{counted} counted, {refused} refused");
    }

    // Whether some count of the layer, or one output size, is beyond what the cost model returns.
    private static bool Overflows(int[] input, int[] weight, int stride, int padding)
    {
        (int n, int c, int h, int w) = (input[0], input[1], input[2], input[3]);
        (int outChannels, int kh, int kw) = (weight[0], weight[2], weight[3]);
        BigInteger outH = (h + 2L * padding - kh) / stride + 1, outW = (w + 2L * padding - kw) / stride + 1;
        BigInteger weights = (BigInteger)outChannels * c * kh * kw;
        BigInteger outputs = (BigInteger)n * outChannels * outH * outW;
        BigInteger[] counts = [(BigInteger)n * c * h * w * 4, outputs * 4, (weights + outChannels) * 4, 2 * outputs * c * kh * kw,
            (BigInteger)n * c * h * w * 4 + outputs * 4 + (weights + outChannels) * 4];
        return outH > int.MaxValue || outW > int.MaxValue || counts.Any(count => count > long.MaxValue);
    }

    [Fact]
    public void Output_sizes_up_to_int_max_are_given_and_larger_ones_blame_the_parameter_that_made_them()
    {
        Assert.Equal(int.MaxValue, ConvShape.Output(int.MaxValue, 1));
        Assert.Equal(int.MaxValue / 2 + 1, ConvShape.Output(int.MaxValue, 1, stride: 2));
        Assert.Equal("padding", Assert.Throws<ArgumentException>(() => ConvShape.Output(int.MaxValue, 1, padding: 1)).ParamName);
        Assert.Equal(int.MaxValue, ConvShape.TransposedOutput(int.MaxValue, 1));
        Assert.Equal("size", Assert.Throws<ArgumentException>(() => ConvShape.TransposedOutput(int.MaxValue, 2)).ParamName);
        Assert.Equal("stride", Assert.Throws<ArgumentException>(() => ConvShape.TransposedOutput(1 << 16, 1, stride: 1 << 16)).ParamName);
        Assert.Equal("dilation", Assert.Throws<ArgumentException>(() => ConvShape.TransposedOutput(2, 1 << 16, dilation: 1 << 16)).ParamName);
        Assert.Equal("kernel", Assert.Throws<ArgumentException>(() => ConvShape.TransposedOutput(2, int.MaxValue)).ParamName);
    }
}
