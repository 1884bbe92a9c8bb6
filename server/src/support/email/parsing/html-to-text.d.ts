// The part of html-to-text 10 this module uses (the package ships no type declarations).
declare module 'html-to-text' {
  export type BlockTextBuilder = {
    openBlock(options?: { leadingLineBreaks?: number }): void;
    closeBlock(options?: { trailingLineBreaks?: number }): void;
    addInline(text: string, options?: { noWordTransform?: boolean }): void;
  };
  export type DomNode = { children?: DomNode[]; attribs?: Record<string, string> };
  export type Formatter = (
    element: DomNode,
    walk: (nodes: DomNode[] | undefined, builder: BlockTextBuilder) => void,
    builder: BlockTextBuilder,
    formatOptions: Record<string, unknown>,
  ) => void;
  export type SelectorDefinition = { selector: string; format?: string; options?: Record<string, unknown> };
  export type HtmlToTextOptions = {
    wordwrap?: number | false | null;
    limits?: { maxInputLength?: number; maxDepth?: number; maxChildNodes?: number; ellipsis?: string };
    selectors?: SelectorDefinition[];
    formatters?: Record<string, Formatter>;
    baseElements?: { selectors?: string[] };
  };
  export function convert(html: string, options?: HtmlToTextOptions): string;
  export function compile(options?: HtmlToTextOptions): (html: string) => string;
}
