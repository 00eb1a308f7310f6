using OrleansSlm.Frontend.Chat;
using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Tests.Chat;

/// <summary>How the frontend answers each way a silo can refuse or fail a request, and which ones it sends elsewhere.</summary>
public sealed class InferenceErrorTests
{
    [Theory]
    [InlineData(InferenceRejection.Overloaded, 503, "engine_overloaded", true)]
    [InlineData(InferenceRejection.ContextLengthExceeded, 400, "context_length_exceeded", false)]
    [InlineData(InferenceRejection.ModelNotFound, 404, "model_not_found", false)]
    [InlineData(InferenceRejection.InvalidRequest, 400, null, false)]
    [InlineData(InferenceRejection.Unavailable, 503, "inference_unavailable", true)]
    [InlineData(InferenceRejection.Failed, 500, "generation_failed", false)]
    public void Each_rejection_has_its_status_and_code(InferenceRejection reason, int status, string? code, bool hasRetryAfter)
    {
        Assert.True(InferenceErrors.TryTranslate(new InferenceRejectedException(reason, "why", retryAfterSeconds: 2), out var translated, out var error, out var retryAfter));

        Assert.Equal((status, code), (translated, error.Code));
        Assert.Equal(hasRetryAfter, retryAfter > 0);
    }

    [Theory]
    [InlineData(InferenceRejection.Unavailable, true)]
    [InlineData(InferenceRejection.Failed, false)]
    [InlineData(InferenceRejection.Overloaded, false)]
    [InlineData(InferenceRejection.InvalidRequest, false)]
    public void Only_a_silo_that_is_gone_or_stopping_gets_the_request_sent_elsewhere(InferenceRejection reason, bool retried)
    {
        Assert.Equal(retried, InferenceClient.IsRetryable(new InferenceRejectedException(reason, "why"), CancellationToken.None));
    }

    [Fact]
    public void Only_a_silo_that_ended_the_request_itself_lets_it_be_sent_elsewhere_without_membership_s_verdict()
    {
        Assert.True(InferenceClient.EndedOnSilo(new InferenceRejectedException(InferenceRejection.Unavailable, "stopped generating")));
        Assert.True(InferenceClient.EndedOnSilo(new EnumerationAbortedException("no record of the enumerator")));
        Assert.False(InferenceClient.EndedOnSilo(new TimeoutException("no answer in time")));
        Assert.False(InferenceClient.EndedOnSilo(new SiloUnavailableException("the connection broke")));
    }
}
