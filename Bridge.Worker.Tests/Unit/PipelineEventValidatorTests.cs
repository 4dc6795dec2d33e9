using Bridge.Contracts;
using Bridge.Tests.Support;
using Bridge.Worker.PipelineEvents;
using Bridge.Worker.Queue;

namespace Bridge.Tests.Unit;

public sealed class PipelineEventValidatorTests
{
    [Fact]
    public void A_sample_event_is_valid() => Assert.Empty(PipelineEventValidator.Validate(SampleEvents.Tag()));

    [Fact]
    public void Every_field_at_fault_is_named()
    {
        var message = SampleEvents.Tag() with
        {
            Version = 2,
            Commit = "abc123",
            Ref = new GitRef { Name = "main", Type = RefType.Branch },
            PipelineUuid = "5d1b8c2e-4f0a-4b7e-9c3d-2a6f1e8b9c0d",
            BuildNumber = 0,
            OidcToken = "",
            Repository = new RepositoryInfo { FullName = "other/api", Uuid = SampleEvents.RepositoryUuid },
        };

        var errors = PipelineEventValidator.Validate(message);

        Assert.Equal(
            ["version", "repository.fullName", "commit", "ref.type", "pipelineUuid", "buildNumber", "oidcToken"],
            errors.Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]));
    }

    [Fact]
    public void A_ref_name_longer_than_any_branch_or_tag_is_refused_without_being_repeated()
    {
        var name = "v" + new string('9', 2_000_000);
        var message = SampleEvents.Tag() with { Ref = new GitRef { Name = name, Type = RefType.Tag } };

        var error = Assert.Single(PipelineEventValidator.Validate(message));

        Assert.StartsWith("ref.name: is 2,000,001 characters long", error, StringComparison.Ordinal);
        Assert.True(error.Length < 200, error);
    }

    [Fact]
    public void An_event_prints_without_its_token()
    {
        var message = SampleEvents.Tag();

        Assert.DoesNotContain(message.OidcToken, message.ToString(), StringComparison.Ordinal);
        Assert.Contains("OidcToken = ***", message.ToString(), StringComparison.Ordinal);
    }
}
