using CsCheck;

namespace Conv.Notebook.Tests;

/// <summary>
/// The loops for notebook-sized calls (<see cref="SmallConvolution"/>) against the plain loops of
/// <see cref="ConvolutionReference"/>, on the same random calls as the fast kernels: every padding mode, strides,
/// dilations, groups, batched and unbatched.
/// </summary>
public sealed class SmallConvolutionTests
{
    private const long Iterations = 300;
    private static readonly Convolution.Route Small = new(Convolution.Path.Small);

    [Fact]
    public void Conv2d_SmallEqualsReference()
    {
        FastConvolutionTests.CaseGen(oneD: false).Sample(c =>
        {
            var rng = new Random(c.Seed);
            int[] inShape = c.Batched ? [c.Batch, c.InChannels, c.H.Size, c.W.Size] : [c.InChannels, c.H.Size, c.W.Size];
            Tensor x = FastConvolutionTests.Random(rng, inShape);
            Tensor w = FastConvolutionTests.Random(rng, [c.OutChannels, c.InPerGroup, c.H.Kernel, c.W.Kernel]);
            Tensor? b = c.WithBias ? FastConvolutionTests.Random(rng, [c.OutChannels]) : null;
            (int, int) stride = (c.H.Stride, c.W.Stride), padding = (c.H.Padding, c.W.Padding), dilation = (c.H.Dilation, c.W.Dilation);

            Tensor small = Convolution.Forward("Conv2d", false, x, w, b, stride, padding, dilation, c.Groups, c.Mode, Small);
            FastConvolutionTests.AssertSame(ConvolutionReference.Conv2d(x, w, b, stride, padding, dilation, c.Groups, c.Mode), small, c.ToString());
        }, iter: Iterations);
    }

    [Fact]
    public void Conv1d_SmallEqualsReference()
    {
        FastConvolutionTests.CaseGen(oneD: true).Sample(c =>
        {
            var rng = new Random(c.Seed);
            int[] inShape = c.Batched ? [c.Batch, c.InChannels, c.W.Size] : [c.InChannels, c.W.Size];
            Tensor x = FastConvolutionTests.Random(rng, inShape);
            Tensor w = FastConvolutionTests.Random(rng, [c.OutChannels, c.InPerGroup, c.W.Kernel]);
            Tensor? b = c.WithBias ? FastConvolutionTests.Random(rng, [c.OutChannels]) : null;

            Tensor small = Convolution.Forward("Conv1d", true, x, w, b, (1, c.W.Stride), (0, c.W.Padding), (1, c.W.Dilation), c.Groups, c.Mode, Small);
            FastConvolutionTests.AssertSame(ConvolutionReference.Conv1d(x, w, b, c.W.Stride, c.W.Padding, c.W.Dilation, c.Groups, c.Mode), small, c.ToString());
        }, iter: Iterations);
    }

    [Fact]
    public void ConvTranspose2d_SmallEqualsReference()
    {
        FastConvolutionTests.TransposedCaseGen(oneD: false).Sample(c =>
        {
            var rng = new Random(c.Seed);
            int[] inShape = c.Batched ? [c.Batch, c.InChannels, c.H.Size, c.W.Size] : [c.InChannels, c.H.Size, c.W.Size];
            Tensor x = FastConvolutionTests.Random(rng, inShape);
            Tensor w = FastConvolutionTests.Random(rng, [c.InChannels, c.OutPerGroup, c.H.Kernel, c.W.Kernel]);
            Tensor? b = c.WithBias ? FastConvolutionTests.Random(rng, [c.OutChannels]) : null;
            (int, int) stride = (c.H.Stride, c.W.Stride), padding = (c.H.Padding, c.W.Padding);
            (int, int) outputPadding = (c.H.OutputPadding, c.W.OutputPadding), dilation = (c.H.Dilation, c.W.Dilation);

            Tensor small = Convolution.Transposed("ConvTranspose2d", false, x, w, b, stride, padding, outputPadding, dilation, c.Groups, Small);
            FastConvolutionTests.AssertSame(ConvolutionReference.ConvTranspose2d(x, w, b, stride, padding, outputPadding, dilation, c.Groups), small, c.ToString());
        }, iter: Iterations);
    }

    [Theory]
    [InlineData(8, 4, 1, 0, 1)]
    [InlineData(8, 4, 0, 0, 1)]
    [InlineData(9, 3, 2, 1, 1)]
    [InlineData(17, 5, 3, 1, 2)]
    [InlineData(20, 2, 0, 1, 1)]
    [InlineData(3, 3, 1, 0, 3)]
    public void ConvTranspose2d_SmallStrideTwoColumnsEqualsReference(int width, int kernel, int padding, int outputPadding, int dilation)
    {
        // Column stride 2 sums the even and the odd output columns side by side and interleaves them: wide rows, odd
        // and even padding, output padding and dilation move which column phase comes first and where the tail starts.
        var rng = new Random(width * 31 + kernel);
        Tensor x = FastConvolutionTests.Random(rng, [2, 3, 5, width]);
        Tensor w = FastConvolutionTests.Random(rng, [3, 2, 3, kernel]);
        Tensor b = FastConvolutionTests.Random(rng, [2]);
        (int, int) stride = (1, 2), pad = (1, padding), outPad = (0, outputPadding), dil = (1, dilation);
        Tensor small = Convolution.Transposed("ConvTranspose2d", false, x, w, b, stride, pad, outPad, dil, 1, Small);
        FastConvolutionTests.AssertSame(ConvolutionReference.ConvTranspose2d(x, w, b, stride, pad, outPad, dil, 1), small, $"width {width}, kernel {kernel}");
    }

    [Fact]
    public void ConvTranspose2d_SmallWithCopyInWorkspaceAndManyTapsEqualsReference()
    {
        // A padded copy too large for the stack lies in the thread's float workspace, and twelve channels of 3×3 taps
        // overflow the stack tap tables: the tables and weights must not land on the copy.
        var rng = new Random(12);
        Tensor x = FastConvolutionTests.Random(rng, [1, 12, 20, 40]);
        Tensor w = FastConvolutionTests.Random(rng, [12, 2, 3, 3]);
        Tensor b = FastConvolutionTests.Random(rng, [2]);
        foreach ((int, int) stride in new[] { (2, 2), (2, 3) })
        {
            Tensor small = Convolution.Transposed("ConvTranspose2d", false, x, w, b, stride, (1, 1), (0, 0), (1, 1), 1, Small);
            FastConvolutionTests.AssertSame(ConvolutionReference.ConvTranspose2d(x, w, b, stride, (1, 1), (0, 0), (1, 1), 1), small, $"stride {stride}");
        }
    }

    [Fact]
    public void Exercise1_SmallEqualsReference()
    {
        Tensor x = Tensor.Randn(0, 1, 1, 8, 8);
        Tensor k = Tensor.Randn(1, 1, 1, 3, 5);
        Tensor small = Convolution.Forward("Conv2d", false, x, k, null, (3, 4), (0, 1), (1, 1), 1, PaddingMode.Zeros, Small);
        Assert.Equal([1, 1, 2, 2], small.Shape);
        FastConvolutionTests.AssertSame(ConvolutionReference.Conv2d(x, k, padding: (0, 1), stride: (3, 4)), small, "exercise 1");
    }
}
