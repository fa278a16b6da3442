import { forwardRef, type ButtonHTMLAttributes } from "react";
import { cn } from "./cn";

type TVariant = "primary" | "secondary" | "danger" | "ghost";
const VARIANTS: Record<TVariant, string> = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 disabled:bg-brand-600/50",
  secondary: "bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-400",
  danger: "bg-red-600 text-white hover:bg-red-700 disabled:bg-red-600/50",
  ghost: "text-slate-700 hover:bg-slate-100",
};

export const Button = forwardRef<HTMLButtonElement, ButtonHTMLAttributes<HTMLButtonElement> & { variant?: TVariant; size?: "sm" | "md" }>(
  function Button({ variant = "primary", size = "md", className, type = "button", ...props }, ref) {
    return (
      <button
        ref={ref}
        type={type}
        className={cn(
          "inline-flex items-center justify-center gap-1.5 rounded-md font-medium shadow-sm transition-colors disabled:cursor-not-allowed",
          size === "sm" ? "px-2.5 py-1 text-xs" : "px-3.5 py-2 text-sm",
          VARIANTS[variant],
          className,
        )}
        {...props}
      />
    );
  },
);
