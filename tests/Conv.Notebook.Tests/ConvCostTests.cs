namespace Conv.Notebook.Tests;

public class ConvCostTests
{
    [Fact]
    public void Counts_follow_the_layer_shape()
    {
        var cost = ConvCost.Conv2d([2, 4, 10, 12], [6, 2, 3, 5], padding: (1, 2), stride: (1, 2), groups: 2, bias: true);

        // Output 10 × 6; each output sums 2 channels × 3 × 5 taps.
        Assert.Equal([2, 6, 10, 6], cost.OutputShape);
        Assert.Equal(2L * 6 * 10 * 6, cost.OutputElements);
        Assert.Equal(cost.OutputElements * 2 * 3 * 5, cost.MultiplyAccumulates);
        Assert.Equal(6L * 2 * 3 * 5 + 6, cost.Parameters);
        Assert.Equal(2L * 4 * 10 * 12 * 4, cost.InputBytes);
        Assert.Equal(cost.OutputElements * 4, cost.OutputBytes);
        Assert.Equal(2 * cost.MultiplyAccumulates, cost.Flops);
    }

    [Fact]
    public void Output_shape_matches_the_real_convolution()
    {
        var x = Tensor.Randn(3, 1, 3, 13, 11);
        var w = Tensor.Randn(4, 5, 3, 3, 4);

        var cost = ConvCost.Conv2d(x.Shape, w.Shape, stride: (2, 3), padding: (1, 1), dilation: (2, 1));
        var y = Convolution.Conv2d(x, w, stride: (2, 3), padding: (1, 1), dilation: (2, 1));

        Assert.Equal(y.Shape, cost.OutputShape);
        Assert.Equal(y.Length, cost.OutputElements);
    }

    [Theory]
    [InlineData(2, 2, 4.0)]
    [InlineData(2, 1, 2.0)]
    [InlineData(4, 4, 16.0)]
    public void Stride_divides_the_work_by_sh_times_sw_when_it_divides_the_size(int sh, int sw, double factor)
    {
        var dense = ConvCost.Conv2d([1, 64, 56, 56], [64, 64, 3, 3], padding: (1, 1));
        var strided = ConvCost.Conv2d([1, 64, 56, 56], [64, 64, 3, 3], padding: (1, 1), stride: (sh, sw));

        Assert.Equal(factor, (double)dense.MultiplyAccumulates / strided.MultiplyAccumulates, 6);
        Assert.Equal(factor, (double)dense.OutputBytes / strided.OutputBytes, 6);
    }

    [Fact]
    public void Conv1d_cost_of_the_wav2vec_first_layer()
    {
        var cost = ConvCost.Conv1d([1, 1, 16000], [512, 1, 10], stride: 5);

        Assert.Equal([1, 512, 3199], cost.OutputShape);
        Assert.Equal(512L * 3199 * 10, cost.MultiplyAccumulates);
    }

    [Fact]
    public void Bad_shapes_are_refused_as_in_the_convolution()
    {
        var e = Assert.Throws<ArgumentException>(() => ConvCost.Conv2d([1, 3, 8, 8], [4, 2, 3, 3]));
        Assert.Equal("weightShape", e.ParamName);
    }
}
