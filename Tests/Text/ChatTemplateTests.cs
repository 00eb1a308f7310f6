using OrleansSlm.Engine.Text;

namespace OrleansSlm.Tests.Text;

public sealed class ChatTemplateTests
{
    [Fact]
    public void ChatML_adds_SmolLM2s_default_system_prompt_when_the_caller_sends_none()
    {
        var prompt = ChatTemplates.ForModelType("llama").Render([new ChatMessage("user", "What color is an apple?")]);

        Assert.Equal(
            "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n" +
            "<|im_start|>user\nWhat color is an apple?<|im_end|>\n" +
            "<|im_start|>assistant\n",
            prompt);
    }

    [Fact]
    public void ChatML_keeps_the_callers_system_prompt_and_every_turn()
    {
        var prompt = ChatTemplates.ForModelType("llama").Render(
        [
            new ChatMessage("system", "Be brief."),
            new ChatMessage("user", "Hi"),
            new ChatMessage("assistant", "Hello."),
            new ChatMessage("user", "Bye"),
        ]);

        Assert.Equal(
            "<|im_start|>system\nBe brief.<|im_end|>\n" +
            "<|im_start|>user\nHi<|im_end|>\n" +
            "<|im_start|>assistant\nHello.<|im_end|>\n" +
            "<|im_start|>user\nBye<|im_end|>\n" +
            "<|im_start|>assistant\n",
            prompt);
    }

    [Theory]
    [InlineData("gemma3")]
    [InlineData("gemma3_text")]
    public void Gemma_folds_the_system_text_into_the_first_user_turn_and_calls_the_assistant_model(string modelType)
    {
        var prompt = ChatTemplates.ForModelType(modelType).Render(
        [
            new ChatMessage("system", "Be brief."),
            new ChatMessage("user", "Hi"),
            new ChatMessage("assistant", "Hello."),
            new ChatMessage("user", "What color is an apple?"),
        ]);

        Assert.Equal(
            "<bos><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n" +
            "<start_of_turn>model\nHello.<end_of_turn>\n" +
            "<start_of_turn>user\nWhat color is an apple?<end_of_turn>\n" +
            "<start_of_turn>model\n",
            prompt);
    }

    /// <summary>
    /// What google/gemma-3-270m-it's chat template (tokenizer_config.json, <c>chat_template</c>) writes with
    /// <c>add_generation_prompt</c>: <c>bos_token</c>; a system message's content plus two newlines, untrimmed, as
    /// <c>first_user_prefix</c> of the first turn; each turn <c>'&lt;start_of_turn&gt;' + role + '\n' + prefix</c>, its
    /// content through <c>| trim</c>, then <c>'&lt;end_of_turn&gt;\n'</c>, with <c>assistant</c> written <c>model</c>; then
    /// <c>'&lt;start_of_turn&gt;model\n'</c>. The text below is that template's output for these messages.
    /// </summary>
    [Fact]
    public void Gemma_renders_the_text_of_gemma_3s_own_template_with_its_trimming()
    {
        var prompt = ChatTemplates.ForModelType("gemma3_text").Render(
        [
            new ChatMessage("system", " Answer in French.\n"),
            new ChatMessage("user", "\n  Hello there  "),
            new ChatMessage("assistant", " Bonjour ! "),
            new ChatMessage("user", "Why?\n\n"),
        ]);

        Assert.Equal(
            "<bos><start_of_turn>user\n Answer in French.\n\n\nHello there<end_of_turn>\n" +
            "<start_of_turn>model\nBonjour !<end_of_turn>\n" +
            "<start_of_turn>user\nWhy?<end_of_turn>\n" +
            "<start_of_turn>model\n",
            prompt);
    }

    [Fact]
    public void Gemma_without_a_system_message_starts_with_the_user_turn()
    {
        var prompt = ChatTemplates.ForModelType("gemma3").Render([new ChatMessage("user", "Hi")]);

        Assert.Equal("<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n", prompt);
    }

    [Fact]
    public void Gemma_rejects_turns_that_do_not_alternate()
    {
        var error = Assert.Throws<ArgumentException>(() => ChatTemplates.ForModelType("gemma3").Render(
            [new ChatMessage("user", "Hi"), new ChatMessage("user", "Again")]));

        Assert.Contains("alternate", error.Message);
    }

    [Fact]
    public void An_unknown_model_type_is_refused_with_the_supported_ones_named()
    {
        var error = Assert.Throws<NotSupportedException>(() => ChatTemplates.ForModelType("mistral"));

        Assert.Contains("'mistral'", error.Message);
        Assert.Contains("llama", error.Message);
        Assert.Contains("gemma3", error.Message);
    }

    [Fact]
    public void An_empty_conversation_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ChatTemplates.ForModelType("llama").Render([]));
    }
}
