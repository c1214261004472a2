import type { ReactNode } from "react";
import { onLinkClick } from "../router";

export function Link(props: { to: string; children: ReactNode; className?: string; title?: string }) {
  return (
    <a href={props.to} onClick={onLinkClick} className={props.className} title={props.title}>
      {props.children}
    </a>
  );
}
