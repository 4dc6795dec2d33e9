using System.Text.Json.Nodes;
using Bridge.Tests.Support;
using Bridge.Worker.Routing;

namespace Bridge.Tests.Unit;

public sealed class ParameterTemplateTests
{
    private static JsonObject Render(string parametersYaml, Bridge.Contracts.PipelineEvent message)
    {
        var yaml = $"routes:\n  - name: r\n    match: {{ ref: '**' }}\n    deployment: f/d\n    parameters:\n{parametersYaml}";
        var (routes, errors) = RouteFile.Read(YamlToJson.Parse(new StringReader(yaml)), "t");
        Assert.Empty(errors);
        return ParameterTemplate.Render(routes[0].Parameters, EventVariables.For(message.AsTrigger() with { Id = Guid.Empty }, "r"));
    }

    [Fact]
    public void Parameters_keep_their_json_types()
    {
        var message = SampleEvents.Merge("main", pullRequest: 42);

        var rendered = Render("""
                  build: '{{ buildNumber }}'
                  pr: '{{ pullRequestId }}'
                  commit: '{{ commit }}'
                  label: 'build {{ buildNumber }} of {{ ref.name }}'
                  dry_run: false
                  retries: 3
                  ratio: 0.5
                  quoted_number: '3'
                  nothing: null
                  nested: { ref: '{{ ref.name }}', list: [1, '{{ buildNumber }}'] }
            """, message);

        Assert.Equal(
            """{"build":128,"pr":42,"commit":"COMMIT","label":"build 128 of main","dry_run":false,"retries":3,"ratio":0.5,"quoted_number":"3","nothing":null,"nested":{"ref":"main","list":[1,128]}}"""
                .Replace("COMMIT", message.Commit, StringComparison.Ordinal),
            rendered.ToJsonString());
    }

    [Fact]
    public void An_absent_pull_request_id_renders_as_null_not_as_a_string()
    {
        var rendered = Render("      pr: '{{ pullRequestId }}'\n      text: 'PR {{ pullRequestId }}'\n", SampleEvents.Tag());

        Assert.Equal("""{"pr":null,"text":"PR "}""", rendered.ToJsonString());
    }
}
