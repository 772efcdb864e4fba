using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Conv.Notebook;

/// <summary>
/// A linear model fitted by least squares, as a dense head on a layer's outputs: the weights w that minimise
/// ‖X w − y‖₂ for a feature matrix X (one row per example) and targets y, and among those the shortest, as
/// numpy.linalg.lstsq gives them (MathNet's SVD). With fewer examples than features the head fits every target
/// exactly, noise included.
/// </summary>
/// <example>
/// <code>
/// double[] w = LeastSquares.Fit(trainFeatures, trainTargets);
/// double test = LeastSquares.RelativeError(testFeatures, testTargets, w);   // 0: perfect, 1: no better than 0
/// </code>
/// </example>
public static class LeastSquares
{
    /// <summary>numpy.finfo(np.float64).eps, 2⁻⁵², the spacing of doubles near 1.</summary>
    private const double Epsilon = 2.220446049250313e-16;

    /// <summary>
    /// The minimum-norm least-squares weights w = X⁺ y (X⁺ the pseudo-inverse), the weights numpy.linalg.lstsq gives
    /// (numpy always takes the SVD): here by a QR decomposition of X (more rows than columns) or of Xᵀ (fewer), and by
    /// the singular value decomposition when X has dependent columns or rows, with singular values at or below
    /// ε · max(rows, columns) · σ_max counted as 0 (numpy's default cut-off).
    /// </summary>
    /// <param name="features">The rows of X, one per example, all of the same length (at least 1); finite values.</param>
    /// <param name="targets">One finite target per row.</param>
    /// <returns>One weight per feature.</returns>
    /// <example><code>LeastSquares.Fit([[1.0, 0], [0, 1], [1, 1]], [1.0, 2, 3]) // [1, 2]</code></example>
    public static double[] Fit(IReadOnlyList<double[]> features, IReadOnlyList<double> targets)
    {
        Matrix<double> x = Rows(features, targets);
        Vector<double> y = Vector<double>.Build.DenseOfEnumerable(targets);
        double cutoff = Epsilon * Math.Max(x.RowCount, x.ColumnCount);
        // QR is several times faster than the SVD; it gives the same weights when X has full rank, which the
        // diagonal of R shows.
        bool tall = x.RowCount >= x.ColumnCount;
        var qr = (tall ? x : x.Transpose()).QR(QRMethod.Thin);
        Vector<double> diagonal = qr.R.Diagonal().PointwiseAbs();
        if (diagonal.Minimum() > cutoff * diagonal.Maximum())
        {
            // Tall: R w = Qᵀ y. Wide: X = Rᵀ Qᵀ, and the shortest w with X w = y is Q (Rᵀ)⁻¹ y.
            return (tall ? qr.R.Solve(qr.Q.TransposeThisAndMultiply(y)) : qr.Q * qr.R.Transpose().Solve(y)).ToArray();
        }
        var svd = x.Svd(computeVectors: true);
        Vector<double> projected = svd.U.TransposeThisAndMultiply(y);
        var scaled = Vector<double>.Build.Dense(x.ColumnCount);
        for (int i = 0; i < svd.S.Count; i++)
        {
            if (svd.S[i] > cutoff * svd.S[0]) scaled[i] = projected[i] / svd.S[i];
        }
        return svd.VT.TransposeThisAndMultiply(scaled).ToArray();
    }

    /// <summary>
    /// The root-mean-square error of the predictions X w relative to the root mean square of the targets:
    /// ‖X w − y‖₂ / ‖y‖₂. 0 is a perfect fit; 1 is no better than predicting 0 for every example.
    /// </summary>
    /// <param name="features">The rows of X, one per example, each as long as <paramref name="weights"/>.</param>
    /// <param name="targets">One target per row, not all 0.</param>
    /// <param name="weights">The weights, one per feature, as <see cref="Fit"/> returns them.</param>
    /// <example><code>LeastSquares.RelativeError([[1.0], [2]], [1.0, 2], [1.0]) // 0</code></example>
    public static double RelativeError(IReadOnlyList<double[]> features, IReadOnlyList<double> targets, double[] weights)
    {
        Matrix<double> x = Rows(features, targets);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length != x.ColumnCount)
        {
            throw new ArgumentException(
                $"There must be one weight per feature ({x.ColumnCount}), but weights has {weights.Length}.", nameof(weights));
        }
        Vector<double> y = Vector<double>.Build.DenseOfEnumerable(targets);
        double norm = y.L2Norm();
        if (norm == 0) throw new ArgumentException("The relative error is undefined because targets are all 0.", nameof(targets));
        return (x * Vector<double>.Build.DenseOfArray(weights) - y).L2Norm() / norm;
    }

    private static Matrix<double> Rows(IReadOnlyList<double[]> features, IReadOnlyList<double> targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.Count == 0) throw new ArgumentException("There must be at least one example, but features has no rows.", nameof(features));
        if (targets.Count != features.Count)
        {
            throw new ArgumentException(
                $"There must be one target per row of features ({features.Count}), but targets has {targets.Count}.", nameof(targets));
        }
        int columns = features[0]?.Length ?? 0;
        if (columns == 0) throw new ArgumentException("Each row of features must hold at least one feature, but row 0 has none.", nameof(features));
        for (int r = 0; r < features.Count; r++)
        {
            double[] row = features[r] ?? throw new ArgumentException($"Row {r} of features is null.", nameof(features));
            if (row.Length != columns)
            {
                throw new ArgumentException(
                    $"Every row of features must have the same length, but row 0 has {columns} and row {r} has {row.Length}.", nameof(features));
            }
            for (int c = 0; c < columns; c++)
            {
                if (!double.IsFinite(row[c])) throw new ArgumentException($"Every feature must be finite, but features[{r}][{c}] is {row[c]}.", nameof(features));
            }
            if (!double.IsFinite(targets[r])) throw new ArgumentException($"Every target must be finite, but targets[{r}] is {targets[r]}.", nameof(targets));
        }
        return Matrix<double>.Build.DenseOfRowArrays(features);
    }
}
