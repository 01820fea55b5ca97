//! Facts the protocol does not carry: whether an operation is safe to
//! repeat, and what each request parameter does in paging.
//!
//! Every RPC call is a `POST /`, so the method no longer tells a read from
//! a change. The defaults come from one rule, Alibaba's API-wide naming
//! conventions:
//!
//! - **Idempotent**: an operation whose name starts with a read verb
//!   (`Describe`, `List`, `Get`, `Query`, `Check`) followed by an upper-case
//!   letter or nothing. ROA operations also count by their method (`GET`,
//!   `HEAD`). A declared client token makes a change safe to repeat on its
//!   own, in the runtime.
//! - **Paging roles** (request parameters, names compared ignoring case):
//!   `PageNumber`/`Page` (an integer) is the page number, `PageSize`/`Size`
//!   (an integer) the page size, `NextToken` (a string) the next-page token,
//!   `MaxResults` (an integer) the size of a token page.
//!
//! [`crate::ir::Product::traits`] corrects either per operation
//! (`overrides.yaml`: `operation: {idempotent: false}`,
//! `params.Marker: {paging: next_token}`).

use crate::ir::{Location, Operation, PagingRole, Param, Product, Type};

/// The verbs that name reads.
pub const READ_VERBS: [&str; 5] = ["Describe", "List", "Get", "Query", "Check"];

/// Whether `op` of `product` is safe to repeat (see the module docs).
pub fn idempotent(product: &Product, op: &Operation) -> bool {
    if let Some(fact) = product.traits.get(&op.name).and_then(|t| t.idempotent) {
        return fact;
    }
    matches!(op.method.as_str(), "GET" | "HEAD") || is_read_name(&op.name)
}

/// Whether `name` starts with a read verb as a whole word.
pub fn is_read_name(name: &str) -> bool {
    READ_VERBS.iter().any(|verb| {
        name.strip_prefix(verb).is_some_and(|rest| rest.chars().next().is_none_or(|c| c.is_ascii_uppercase()))
    })
}

/// The paging role of `param` of `op` (see the module docs).
pub fn paging_role(product: &Product, op: &Operation, param: &Param) -> Option<PagingRole> {
    let declared = product.traits.get(&op.name).and_then(|t| t.paging.get(&param.name)).copied();
    let role = declared.or_else(|| default_role(param))?;
    (role != PagingRole::None).then_some(role)
}

fn default_role(p: &Param) -> Option<PagingRole> {
    if p.location != Location::Query || p.rust_name.is_some() {
        return None;
    }
    let integer = matches!(p.ty, Type::Integer | Type::Long);
    let is = |names: &[&str]| names.iter().any(|n| p.name.eq_ignore_ascii_case(n));
    match () {
        _ if integer && is(&["pageNumber", "page"]) => Some(PagingRole::PageNumber),
        _ if integer && is(&["pageSize", "size"]) => Some(PagingRole::PageSize),
        _ if p.ty == Type::String && is(&["nextToken"]) => Some(PagingRole::NextToken),
        _ if integer && is(&["maxResults"]) => Some(PagingRole::MaxResults),
        _ => None,
    }
}

/// The parameter of `op` with paging `role`, if any.
pub fn param_with_role<'a>(product: &Product, op: &'a Operation, role: PagingRole) -> Option<&'a Param> {
    op.params.iter().find(|p| paging_role(product, op, p) == Some(role))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Traits;

    fn op(name: &str, method: &str) -> Operation {
        crate::spec::yaml::read_operation(
            std::path::Path::new("t.yaml"),
            &format!("name: {name}\nmethod: {method}\npath: /\nparams:\n- {{name: PageNumber, in: query, type: integer}}\n- {{name: NextToken, in: query, type: string}}\n- {{name: Size, in: query, type: string}}\n"),
        )
        .operation
        .expect("yaml")
    }

    fn product() -> Product {
        crate::spec::yaml::read_product(std::path::Path::new("p.yaml"), "product: p\nversion: v\nstyle: RPC\n")
            .expect("product")
    }

    #[test]
    fn naming_rule() {
        for read in ["DescribeInstances", "ListTagResources", "GetX", "QueryY", "CheckZ", "Describe"] {
            assert!(is_read_name(read), "{read}");
        }
        for change in ["Describer", "Listen", "RunInstances", "Getaway", "describeInstances"] {
            assert!(!is_read_name(change), "{change}");
        }
        let p = product();
        assert!(idempotent(&p, &op("DescribeInstances", "POST")));
        assert!(!idempotent(&p, &op("StopInstance", "POST")));
        assert!(idempotent(&p, &op("StopInstance", "GET")));
    }

    #[test]
    fn paging_roles_and_corrections() {
        let mut p = product();
        let o = op("DescribeDisks", "POST");
        let roles: Vec<_> = o.params.iter().map(|q| paging_role(&p, &o, q)).collect();
        // `Size` is a string here, so it is not a page size.
        assert_eq!(roles, vec![Some(PagingRole::PageNumber), Some(PagingRole::NextToken), None]);
        let mut t = Traits { idempotent: Some(false), ..Traits::default() };
        t.paging.insert("PageNumber".into(), PagingRole::None);
        p.traits.insert("DescribeDisks".into(), t);
        assert!(!idempotent(&p, &o));
        assert_eq!(paging_role(&p, &o, &o.params[0]), None);
    }
}
