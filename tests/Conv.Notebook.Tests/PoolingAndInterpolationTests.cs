namespace Conv.Notebook.Tests;

/// <summary>Bad input and the properties of pooling and resizing; their values are checked against PyTorch in the golden fixtures.</summary>
public class PoolingAndInterpolationTests
{
    [Fact]
    public void Stride_defaults_to_the_kernel()
    {
        Tensor x = Tensor.Arange(16).Reshape(1, 1, 4, 4);

        Assert.Equal(new float[] { 5, 7, 13, 15 }, Pooling.MaxPool2d(x, (2, 2)).ToArray());
        Assert.Equal(new float[] { 2.5f, 4.5f, 10.5f, 12.5f }, Pooling.AvgPool2d(x, (2, 2)).ToArray());
        Assert.Equal([2, 2], Pooling.MaxPool1d(Tensor.Arange(8).Reshape(2, 4), 2).Shape);
    }

    [Fact]
    public void Max_pooling_propagates_NaN()
    {
        Tensor x = new([1, 4], [1, float.NaN, 3, 4]);

        float[] y = Pooling.MaxPool1d(x, 2).ToArray();

        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(4f, y[1]);
    }

    [Fact]
    public void Pooling_padding_over_half_the_kernel_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Pooling.MaxPool2d(Tensor.Zeros(1, 4, 4), (2, 3), padding: (1, 2)));
        Assert.Equal("padding.W", e.ParamName);
        Assert.Contains("half the kernel", e.Message);
    }

    [Theory]
    [InlineData(0, 2, "kernel.H")]
    [InlineData(2, 0, "stride.H")]
    public void Pooling_kernel_and_stride_must_be_positive(int kernel, int stride, string param)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Pooling.AvgPool2d(Tensor.Zeros(1, 4, 4), (kernel, 2), (stride, 2)));
        Assert.Equal(param, e.ParamName);
    }

    [Fact]
    public void Pooling_rank_and_fit_are_checked()
    {
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Pooling.MaxPool2d(Tensor.Zeros(4, 4), (2, 2))).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Pooling.MaxPool1d(Tensor.Zeros(4), 2)).ParamName);
        var e = Assert.Throws<ArgumentException>(() => Pooling.MaxPool1d(Tensor.Zeros(1, 3), 4));
        Assert.Equal("kernel", e.ParamName);
    }

    [Fact]
    public void Nearest_upsampling_copies_each_pixel_into_a_block_and_pooling_undoes_it()
    {
        Tensor x = Tensor.Randn(5, 2, 3, 4);

        Tensor up = Interpolation.Interpolate(x, (2, 3));

        Assert.Equal([2, 6, 12], up.Shape);
        Assert.Equal(x[1, 2, 3], up[1, 5, 11]);
        Assert.True(Pooling.AvgPool2d(up, (2, 3)).AllClose(x, 1e-6f, 1e-6f));
        Assert.True(Pooling.MaxPool2d(up, (2, 3)).AllClose(x, 0, 0));
    }

    [Fact]
    public void Bilinear_upsampling_keeps_a_constant_and_a_linear_ramp_inside()
    {
        Tensor constant = Tensor.Full([1, 5, 5], 3f);
        Tensor ramp = Tensor.FromFunction(4, 4, (r, c) => c).Reshape(1, 4, 4);

        Tensor up = Interpolation.Interpolate(ramp, (2, 2), InterpolationMode.Bilinear);

        Assert.All(Interpolation.Interpolate(constant, (3, 3), InterpolationMode.Bilinear).ToArray(), v => Assert.Equal(3f, v, 5));
        // Inside, output column x samples the input at (x + ½) / 2 − ½.
        for (int x = 1; x < 7; x++) Assert.Equal((x + 0.5f) / 2 - 0.5f, up[0, 3, x], 5);
    }

    [Fact]
    public void Interpolation_arguments_are_checked()
    {
        Assert.Equal("scaleFactor.W", Assert.Throws<ArgumentOutOfRangeException>(() => Interpolation.Interpolate(Tensor.Zeros(1, 2, 2), (2, 0))).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Interpolation.Interpolate(Tensor.Zeros(2, 2), (2, 2))).ParamName);
        Assert.Equal("mode", Assert.Throws<ArgumentOutOfRangeException>(() => Interpolation.Interpolate(Tensor.Zeros(1, 2, 2), (2, 2), (InterpolationMode)7)).ParamName);
        Assert.Equal("scaleFactor", Assert.Throws<ArgumentException>(() => Interpolation.Interpolate(Tensor.Zeros(1, 1000, 1000), (1000, 1000))).ParamName);
    }
}
