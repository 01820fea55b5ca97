//! The words pages use for one thing, English and Chinese, in one place:
//! section headings, table column headers, parameter positions and the
//! required marks. Every comparison goes through [`norm`], so case, spaces,
//! punctuation and `{#id .section}` leftovers never matter.

use crate::ir::Location;

/// `text` reduced to lower-case letters and digits (CJK characters kept).
pub(crate) fn norm(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // The ASCII test first: most of what the reader compares is ASCII.
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// What a section is about, from its heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Role {
    /// The request line (`POST /path`).
    Syntax,
    /// Request headers.
    Headers,
    /// Request parameters; `Some` when the heading names their position
    /// (`Path parameters`, `Query参数`).
    Params(Option<Spot>),
    /// The request body.
    Body,
    /// The response tables or skeleton.
    Response,
    /// Sample requests and responses.
    Examples,
    /// Error codes.
    Errors,
    /// Anything else (description, debugging, ...).
    #[default]
    Other,
}

/// Where a request value travels, as a page names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spot {
    /// Outside the body: path, query or header.
    Param(Location),
    /// In the body (JSON or form).
    Body,
}

/// The role of a section from its heading.
pub(crate) fn role(title: &str) -> Role {
    let t = norm(title);
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    // Order matters: `请求参数` before `请求`, a response heading before
    // `example` (`Response example` is an example), errors first.
    if has(&["errorcode", "错误码"]) || t == "errors" || t == "error" {
        Role::Errors
    } else if has(&["example", "示例", "sample"]) {
        Role::Examples
    } else if has(&["requestsyntax", "requeststructure", "请求语法", "请求结构", "requestline"]) {
        Role::Syntax
    } else if has(&["requestbody", "请求体", "bodyparameter", "body参数"]) {
        Role::Body
    } else if has(&["requestheader", "请求头", "headerparameter", "header参数"]) {
        Role::Headers
    } else if has(&["pathparameter", "path参数", "路径参数"]) {
        Role::Params(Some(Spot::Param(Location::Path)))
    } else if has(&["queryparameter", "query参数", "查询参数"]) {
        Role::Params(Some(Spot::Param(Location::Query)))
    } else if has(&["requestparameter", "请求参数", "入参"]) {
        Role::Params(None)
    } else if has(&[
        "responseparameter",
        "responseelement",
        "responsebody",
        "responsesyntax",
        "responsedata",
        "返回数据",
        "返回参数",
        "返回结果",
        "返回值",
        "响应参数",
        "响应数据",
        "出参",
    ]) || t == "response"
        || t == "响应"
    {
        Role::Response
    } else {
        Role::Other
    }
}

/// A position cell (`Path`, `query`, `FormData`, `Body`, `Header`, `路径`...).
pub(crate) fn position(cell: &str) -> Option<Spot> {
    match norm(cell).as_str() {
        "path" | "路径" => Some(Spot::Param(Location::Path)),
        "query" | "查询" => Some(Spot::Param(Location::Query)),
        "header" | "headers" | "请求头" => Some(Spot::Param(Location::Header)),
        "body" | "requestbody" | "formdata" | "form" | "请求体" => Some(Spot::Body),
        _ => None,
    }
}

/// The position a heading or prose line before a table gives its rows
/// (`Path parameters`, `Query参数`, `RequestBody`).
pub(crate) fn position_in_prose(prose: &str) -> Option<Spot> {
    match role(prose) {
        Role::Params(Some(spot)) => Some(spot),
        Role::Body => Some(Spot::Body),
        _ => None,
    }
}

/// Whether a required cell says yes.
pub(crate) fn says_required(cell: &str) -> bool {
    let r = norm(cell);
    r.starts_with("yes") || r == "true" || r == "required" || r == "是" || r == "必选" || r == "必填"
}

/// A column of a table, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    Name,
    Type,
    Position,
    Required,
    Example,
    Description,
    Status,
    Code,
    Message,
}

/// The column a header cell names.
pub(crate) fn column(header: &str) -> Option<Column> {
    let c = match norm(header).as_str() {
        "parameter" | "parameters" | "name" | "parametername" | "field" | "fieldname" | "attribute" | "property"
        | "名称" | "参数" | "参数名" | "参数名称" | "字段" | "字段名" | "字段名称" | "属性" => {
            Column::Name
        }
        "type" | "datatype" | "类型" | "参数类型" | "数据类型" => Column::Type,
        "position" | "location" | "in" | "位置" | "参数位置" => Column::Position,
        "required" | "mandatory" | "是否必选" | "必选" | "是否必须" | "是否必填" | "必填" => {
            Column::Required
        }
        "example" | "examples" | "examplevalue" | "sample" | "samplevalue" | "sampleresponse" | "samplerequest"
        | "value" | "示例值" | "示例" | "取值示例" | "样例" => Column::Example,
        "description" | "remarks" | "描述" | "说明" | "参数说明" | "备注" => Column::Description,
        "httpcode" | "httpstatuscode" | "statuscode" | "httpstatus" | "status" | "http状态码" | "状态码" => {
            Column::Status
        }
        "errorcode" | "code" | "错误码" | "错误代码" => Column::Code,
        "errormessage" | "message" | "错误信息" | "错误消息" => Column::Message,
        _ => return None,
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_in_both_languages() {
        assert_eq!(role("请求语法"), Role::Syntax);
        assert_eq!(role("Request syntax {#request .section}"), Role::Syntax);
        assert_eq!(role("请求参数"), Role::Params(None));
        assert_eq!(role("Path parameters"), Role::Params(Some(Spot::Param(Location::Path))));
        assert_eq!(role("返回数据"), Role::Response);
        assert_eq!(role("Response syntax"), Role::Response);
        assert_eq!(role("Response"), Role::Response);
        assert_eq!(role("Response examples"), Role::Examples);
        assert_eq!(role("示例"), Role::Examples);
        assert_eq!(role("错误码"), Role::Errors);
        assert_eq!(role("请求头"), Role::Headers);
    }

    #[test]
    fn positions_in_any_case() {
        assert_eq!(position("FormData"), Some(Spot::Body));
        assert_eq!(position("QUERY"), Some(Spot::Param(Location::Query)));
        assert_eq!(position("path"), Some(Spot::Param(Location::Path)));
        assert_eq!(position("nowhere"), None);
        assert!(says_required("是"));
        assert!(!says_required("否"));
    }
}
